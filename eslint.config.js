// ESLint (flat config): typescript-eslint's recommended rules, and the layering of
// ARCHITECTURE.md as import rules; formatting is Prettier's job.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

// The layers, lowest first. A layer may import the ones listed before it and never those
// after it; `src/modules.ts`, `src/server.ts`, `src/main.ts` and `src/cli/` compose them.
// Patterns match import specifiers (relative paths), so `**/ingest/**` forbids any path
// through an ingest folder.
const forbid = (group, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] });
const COMPOSITION = ['../modules', '../../modules', '../server', '../../server', '../main', '../../main', '**/cli/**'];
const layers = [
  {
    files: ['src/canvas/**/*.ts'],
    message: 'canvas/ is the shared Canvas vocabulary (ids, time, JSON, field schemas): it imports none of our layers',
    forbidden: [
      '**/db/**',
      '**/log/**',
      '**/projection/**',
      '**/ingest/**',
      '**/domains/**',
      '**/graphql/**',
      '**/lti/**',
      '**/security/**',
      '**/observability/**',
      ...COMPOSITION,
    ],
  },
  {
    files: ['src/db/**/*.ts'],
    message: 'db/ is storage plumbing: it never imports projections, ingest, domains or GraphQL',
    forbidden: [
      '**/log/**',
      '**/projection/**',
      '**/ingest/**',
      '**/domains/**',
      '**/graphql/**',
      '**/lti/**',
      ...COMPOSITION,
    ],
  },
  {
    files: ['src/log/**/*.ts'],
    message: 'log/ holds the event log tables: it imports only canvas/ and db/',
    forbidden: ['**/projection/**', '**/ingest/**', '**/domains/**', '**/graphql/**', '**/lti/**', ...COMPOSITION],
  },
  {
    files: ['src/projection/**/*.ts'],
    message: 'projection/ is the projection contract and runner: it knows no domain, no HTTP and no GraphQL',
    forbidden: ['**/ingest/**', '**/domains/**', '**/graphql/**', '**/lti/**', 'express', ...COMPOSITION],
  },
  {
    files: ['src/ingest/**/*.ts'],
    message: 'ingest/ knows no domain: projectors reach it through the registry built by src/modules.ts',
    forbidden: ['**/domains/**', '**/graphql/**', '**/lti/**', ...COMPOSITION],
  },
  {
    files: ['src/domains/**/*.ts'],
    message: 'domains know no HTTP and no ingest write path: they get events through projection/ and serve GraphQL',
    forbidden: ['**/ingest/**', '**/lti/**', '**/security/**', 'express', ...COMPOSITION],
  },
  {
    files: ['src/lti/**/*.ts'],
    message:
      'lti/ is the LTI launch endpoint: the LTI projection reaches it through the functions src/server.ts passes in, never by import',
    forbidden: ['**/domains/**', '**/graphql/**', ...COMPOSITION],
  },
  {
    files: ['src/reporting/**/*.ts'],
    message:
      'reporting/ is the aggregate engine: it imports only canvas/ and db/, and knows the datasets by table and column names, not by their domains',
    forbidden: [
      '**/log/**',
      '**/projection/**',
      '**/ingest/**',
      '**/domains/**',
      '**/graphql/**',
      '**/lti/**',
      '**/security/**',
      '**/observability/**',
      'express',
      ...COMPOSITION,
    ],
  },
  {
    files: ['src/graphql/**/*.ts'],
    message:
      'graphql/ builds the schema from the resolvers it is given: it never imports domains or the ingest write path',
    forbidden: ['**/domains/**', '**/ingest/**', '**/projection/**', '**/lti/**', ...COMPOSITION],
  },
];

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
  ...layers.map(({ files, message, forbidden }) => ({ files, rules: forbid(forbidden, message) })),
);
