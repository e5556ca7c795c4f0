// npm run bench [-- --sqlite] [options of the single benches]: ingest, query, scale and
// import in turn, each on its own fresh database.
import { runImport } from './import';
import { runIngest } from './ingest';
import { parseOptions } from './lib/options';
import { runQuery } from './query';
import { runScale } from './scale';

async function main(): Promise<void> {
  const options = parseOptions();
  await runIngest(options);
  await runQuery(options);
  await runScale(options);
  await runImport(options);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
