// schema.graphql is what the code serves: committed, emitted by `npm run schema`, a
// superset of the shared API contract, and described in full.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchema, isEnumType, isInputObjectType, isObjectType, isScalarType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { domainModules, resolvers } from '../../src/modules';
import { isDirectResolver, resolverClassOf } from '../../src/graphql/direct-resolvers';
import { graphqlSchema, printSchemaText } from '../../src/graphql/schema';

const ROOT = join(__dirname, '..', '..');

describe('the committed schema.graphql', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await graphqlSchema(resolvers);
  });

  it('is exactly what the code emits (run `npm run schema` after changing the API)', () => {
    expect(readFileSync(join(ROOT, 'schema.graphql'), 'utf8')).toBe(printSchemaText(schema));
  });

  it('offers everything in the API contract (test/fixtures/contract, copied from the team contract)', () => {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'test', 'fixtures', 'contract', 'tools', 'check-contract.js'), 'schema.graphql'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(out).toMatch(/offers the whole contract/);
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (
        type.name.startsWith('__') ||
        (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
      )
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type))
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('calls every field resolver of the domains directly, not through type-graphql’s per-call wrapper', () => {
    const storage = getMetadataStorage();
    const resolvers = domainModules.flatMap((m) => m.resolvers ?? []);
    const fields = storage.fieldResolvers
      // Declared by a domain's resolver, or inherited by one (e.g. localId, src/graphql/local-id.ts).
      .filter((metadata) => resolverClassOf(metadata.target, resolvers))
      .map((metadata) => {
        const typeName = storage.objectTypes.find((type) => type.target === metadata.getObjectType?.())!.name;
        const type = schema.getType(typeName);
        if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
        return {
          field: `${typeName}.${metadata.schemaName}`,
          direct: isDirectResolver(type.getFields()[metadata.schemaName].resolve),
        };
      });
    expect(fields.length).toBeGreaterThan(20);
    expect(fields.filter((f) => !f.direct)).toEqual([]);
    expect(fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['Submission.comments', 'Course.submissions', 'Course.localId', 'User.localId']),
    );
  });
});
