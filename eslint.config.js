// ESLint (flat config): typescript-eslint's recommended rules, and the layering of
// ARCHITECTURE.md as import rules; formatting is Prettier's job.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// The layers, and what each may import of the others (ARCHITECTURE.md); every other part
// is forbidden to it, and so are `src/modules.ts`, `src/server.ts`, `src/main.ts` and
// `src/cli/`, which compose them. Patterns match import specifiers (relative paths), so
// `**/ingest/**` forbids any path through an ingest folder.
const PARTS = [
  'canvas',
  'db',
  'log',
  'projection',
  'ingest',
  'delivery',
  'domains',
  'graphql',
  'export',
  'lti',
  'reporting',
  'security',
  'observability',
];
const COMPOSITION = ['../modules', '../../modules', '../server', '../../server', '../main', '../../main', '**/cli/**'];
const layers = [
  {
    part: 'canvas',
    mayImport: [],
    message: 'canvas/ is the shared Canvas vocabulary (ids, time, JSON, field schemas): it imports none of our layers',
  },
  {
    part: 'db',
    mayImport: ['canvas', 'security', 'observability'],
    message: 'db/ is storage plumbing: it never imports projections, ingest, domains or GraphQL',
  },
  {
    part: 'log',
    mayImport: ['canvas', 'db', 'security', 'observability'],
    message: 'log/ holds the event log tables: it imports only canvas/ and db/',
  },
  {
    part: 'projection',
    mayImport: ['canvas', 'db', 'log', 'security', 'observability'],
    noExpress: true,
    message: 'projection/ is the projection contract and runner: it knows no domain, no HTTP and no GraphQL',
  },
  {
    part: 'ingest',
    mayImport: ['canvas', 'db', 'log', 'projection', 'reporting', 'security', 'observability'],
    message: 'ingest/ knows no domain: projectors reach it through the registry built by src/modules.ts',
  },
  {
    part: 'delivery',
    mayImport: ['canvas', 'db', 'log', 'projection', 'ingest', 'security', 'observability'],
    noExpress: true,
    message:
      'delivery/ feeds queued events to the ingest path: it knows no domain and no HTTP; src/server.ts starts it',
  },
  {
    part: 'domains',
    mayImport: ['canvas', 'db', 'log', 'projection', 'domains', 'graphql', 'export', 'reporting', 'observability'],
    noExpress: true,
    message: 'domains know no HTTP and no ingest write path: they get events through projection/ and serve GraphQL',
  },
  {
    part: 'lti',
    mayImport: ['canvas', 'db', 'log', 'projection', 'ingest', 'reporting', 'security', 'observability'],
    message:
      'lti/ is the LTI launch endpoint: the LTI projection reaches it through the functions src/server.ts passes in, never by import',
  },
  {
    part: 'reporting',
    mayImport: ['canvas', 'db'],
    noExpress: true,
    message:
      'reporting/ is the aggregate engine: it imports only canvas/ and db/, and knows the datasets by table and column names, not by their domains',
  },
  {
    part: 'graphql',
    mayImport: ['canvas', 'db', 'log', 'reporting', 'security', 'observability'],
    message:
      'graphql/ builds the schema from the resolvers it is given: it never imports domains or the ingest write path',
  },
  {
    part: 'export',
    mayImport: ['canvas', 'db', 'log', 'security', 'observability'],
    message:
      'export/ streams the exports it is given (declared by domains, listed by src/modules.ts): it never imports domains or the write path',
  },
];

/** The no-restricted-imports rule of a layer: every part it may not import, and the composition (a folder's index too). */
function layerRule({ part, mayImport, noExpress, message }) {
  const group = [
    ...PARTS.filter((other) => other !== part && !mayImport.includes(other)).flatMap((other) => [
      `**/${other}`,
      `**/${other}/**`,
    ]),
    ...(noExpress ? ['express'] : []),
    ...COMPOSITION,
  ];
  return {
    files: [`src/${part}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
  };
}

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  ...layers.map(layerRule),
);
