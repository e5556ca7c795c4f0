// npm run replay [-- --resume] [-- --single-transaction] [-- --chunk-size N]
// Rebuilds every projection from the event log, with a progress bar.
import { SingleBar, Presets } from 'cli-progress';
import { parseArgs } from 'node:util';
import { buildProjectorRegistry, projectionEntities } from '../modules';
import { Replayer } from '../ingest/replay';
import { openForCli, runCli } from './runtime';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      resume: { type: 'boolean', default: false },
      'single-transaction': { type: 'boolean', default: false },
      'chunk-size': { type: 'string', default: '1000' },
    },
  });
  const chunkSize = Number(values['chunk-size']);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error('--chunk-size must be a positive whole number');
  const { config, dataSource } = await openForCli();
  const bar = new SingleBar(
    { format: 'replay [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left' },
    Presets.shades_classic,
  );
  const result = await new Replayer(
    dataSource,
    buildProjectorRegistry(undefined, {
      ltiDefaultShard: config.LTI_DEFAULT_SHARD,
      clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
    }),
    projectionEntities,
  ).run({
    chunkSize,
    resume: values.resume,
    singleTransaction: values['single-transaction'],
    onStart: (total) => bar.start(total, 0),
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  if (result.resumedFrom) console.log(`resumed after event ${result.resumedFrom}`);
  console.log(
    `replayed ${result.replayed} events: ${result.byStatus.PROJECTED} projected, ` +
      `${result.byStatus.UNPROJECTED} unprojected, ${result.byStatus.INVALID} invalid; ` +
      `${result.statusChanges} changed status`,
  );
  await dataSource.destroy();
});
