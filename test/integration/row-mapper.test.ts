// The read side maps raw rows to entities itself (src/db/row-mapper.ts) instead of through
// TypeORM's hydration: for every projection table, on both databases, the entities must
// be the ones TypeORM's own find gives, value for value and type for type.
import { projectionEntities } from '../../src/modules';
import { rowMapper } from '../../src/db/row-mapper';
import { sampleCorpus } from '../support/corpus';
import { describeEachDatabase } from '../support/databases';
import { appendEvents } from '../support/ingest-app';

describeEachDatabase('mapping raw rows to entities', (db) => {
  beforeAll(async () => {
    await appendEvents(db(), sampleCorpus(300, 4242), { batch: true });
  });

  it.each(projectionEntities.map((entity) => [entity.name, entity]))(
    'gives the same %s entities as TypeORM hydrates, nulls, ids, times and flags included',
    async (_name, entity) => {
      const ds = db().dataSource;
      const metadata = ds.getMetadata(entity);
      const order = Object.fromEntries(metadata.primaryColumns.map((c) => [`r.${c.propertyName}`, 'ASC' as const]));
      const hydrated = await ds.manager.find(entity, {
        order: Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, 'ASC' as const])),
      });
      const raw = await ds.createQueryBuilder(entity, 'r').orderBy(order).getRawMany();
      const mapped = raw.map(rowMapper(ds, entity, 'r'));

      expect(mapped).toEqual(hydrated);
      // toEqual compares values; the classes must match too (resolvers receive entities).
      for (const row of mapped) expect(row).toBeInstanceOf(entity);
    },
  );

  it('compared real rows: every table the API reads holds some after the corpus', async () => {
    const counts: Record<string, number> = {};
    for (const entity of projectionEntities) counts[entity.name] = await db().dataSource.manager.count(entity);
    const launchesOnly = new Set(['LtiFact', 'RootAccount']);
    for (const [name, count] of Object.entries(counts)) {
      if (!launchesOnly.has(name)) expect({ [name]: count > 0 }).toEqual({ [name]: true });
    }
  });
});
