// `npm run schema`: writes schema.graphql (the committed, sorted print of the API) from
// the code, so reviewers see every API change as a diff of that file.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphqlSchema, printSchemaText } from '../graphql/schema';
import { resolvers } from '../modules';

async function main(): Promise<void> {
  const target = join(__dirname, '..', '..', 'schema.graphql');
  writeFileSync(target, printSchemaText(await graphqlSchema(resolvers)));
  console.log(`wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
