// Canvas's own documented examples (test/fixtures/canvas-docs/, 121 Canvas-format payloads
// and 35 Caliper envelopes) posted as Canvas would: every one is accepted with 2xx, one by
// one and as one NDJSON batch, on both databases; a projected type projects its row (a
// field-by-field check of each family is in ingest.fixtures.test.ts), any other type is
// kept UNPROJECTED. (projection.strict.test.ts projects the same corpus in strict mode.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { toGlobalId } from '../../src/canvas/canvas-id';
import { parseCanvasIri } from '../../src/canvas/caliper';
import { Assignment } from '../../src/domains/assignments/assignment.entity';
import { Enrollment } from '../../src/domains/enrollments/enrollment.entity';
import { Conversation } from '../../src/domains/conversations/conversation.entity';
import { ConversationMessage } from '../../src/domains/conversations/conversation-message.entity';
import { ResourceLink } from '../../src/domains/resource-links/resource-link.entity';
import { Submission } from '../../src/domains/submissions/submission.entity';
import { SubmissionComment } from '../../src/domains/submissions/submission-comment.entity';
import { EventRecord } from '../../src/log/event.entity';
import { buildProjectorRegistry } from '../../src/modules';
import { describeEachDatabase } from '../support/databases';
import { ingestApp, postEvents, row } from '../support/ingest-app';
import { clearEverything } from '../support/projections';
import { ndjson } from '../support/builders';

const DOCS = join(__dirname, '../fixtures/canvas-docs');
const filesOf = (dir: string) =>
  readdirSync(join(DOCS, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(DOCS, dir, file), 'utf8') }));

const canvasDocs = filesOf('canvas');
const caliperDocs = filesOf('caliper');
const registry = buildProjectorRegistry();
const isProjected = (name: string, body: unknown) => registry.forEvent(name, body).length > 0;

type Doc = { metadata: Record<string, string>; body: Record<string, unknown> };

/** The row each projected Canvas-format type names first, and its id (local body ids widened). */
const projectedRows: Record<string, { entity: Parameters<typeof row>[1]; idField: string }> = {
  submission_created: { entity: Submission, idField: 'submission_id' },
  submission_updated: { entity: Submission, idField: 'submission_id' },
  submission_comment_created: { entity: SubmissionComment, idField: 'submission_comment_id' },
  conversation_created: { entity: Conversation, idField: 'conversation_id' },
  conversation_forwarded: { entity: Conversation, idField: 'conversation_id' },
  conversation_message_created: { entity: ConversationMessage, idField: 'message_id' },
  lti_resource_link_created: { entity: ResourceLink, idField: 'resource_link_id' },
  lti_resource_link_updated: { entity: ResourceLink, idField: 'resource_link_id' },
  assignment_created: { entity: Assignment, idField: 'assignment_id' },
  assignment_updated: { entity: Assignment, idField: 'assignment_id' },
  enrollment_created: { entity: Enrollment, idField: 'enrollment_id' },
  enrollment_updated: { entity: Enrollment, idField: 'enrollment_id' },
};

/** The Caliper types projected, by the IRI kind of their object and its table. */
const caliperRows: Record<string, Parameters<typeof row>[1]> = {
  submission: Submission,
  assignment: Assignment,
  enrollment: Enrollment,
};

describeEachDatabase('the documented corpus over POST /events', (db) => {
  let app: Express;
  beforeAll(async () => {
    app = await ingestApp(db());
  });

  it('lists 121 Canvas-format and 35 Caliper examples', () => {
    expect(canvasDocs).toHaveLength(121);
    expect(caliperDocs).toHaveLength(35);
    // Every projected Canvas-format type has a documented example here and a row to check.
    const documented = new Set(canvasDocs.map(({ text }) => (JSON.parse(text) as Doc).metadata.event_name));
    expect(Object.keys(projectedRows).filter((name) => !documented.has(name))).toEqual([]);
  });

  it('accepts every Canvas-format example one by one: projected types project their row, others are kept unprojected', async () => {
    await clearEverything(db().dataSource);
    const outcomes: string[] = [];
    for (const { file, text } of canvasDocs) {
      const res = await postEvents(app, text);
      const doc = JSON.parse(text) as Doc;
      const name = doc.metadata.event_name;
      expect({ file, status: res.status }).toEqual({ file, status: 200 });
      // Some docs repeat another example exactly (a duplicate is a 2xx too).
      expect({ file, outcome: res.body.status }).toEqual({
        file,
        outcome: expect.stringMatching(
          isProjected(name, doc.body) ? /^(stored|duplicate)$/ : /^(unprojected|duplicate)$/,
        ),
      });
      outcomes.push(res.body.status);
      const projected = projectedRows[name];
      if (projected) {
        const id = toGlobalId(String(doc.body[projected.idField]), doc.metadata.root_account_id);
        expect({ file, found: (await row(db(), projected.entity, { id })) !== null }).toEqual({ file, found: true });
      }
    }
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(Object.keys(projectedRows).length);
  });

  it('accepts every Canvas-format example in one NDJSON batch, to the same log', async () => {
    const byOne = await db()
      .dataSource.getRepository(EventRecord)
      .find({ order: { id: 'ASC' } });
    await clearEverything(db().dataSource);
    const res = await postEvents(app, ndjson(canvasDocs.map(({ text }) => JSON.parse(text))), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    expect(res.body.items).toHaveLength(121);
    const batch = await db()
      .dataSource.getRepository(EventRecord)
      .find({ order: { id: 'ASC' } });
    const summary = (rows: EventRecord[]) => rows.map((r) => [r.name, r.contentHash, r.status, r.error]).sort();
    expect(summary(batch)).toEqual(summary(byOne));
  });

  it('accepts every Caliper example one by one: each event stored, the projected ones on their row', async () => {
    await clearEverything(db().dataSource);
    const seenIds = new Set<string>();
    for (const { file, text } of caliperDocs) {
      const res = await postEvents(app, text);
      expect({ file, status: res.status, errors: res.body.errors }).toEqual({ file, status: 200, errors: false });
      const data = (JSON.parse(text) as { data: { id: string; object: { id: string } }[] }).data;
      expect(res.body.items).toHaveLength(data.length);
      for (const [index, item] of (res.body.items as { status: string; name: string }[]).entries()) {
        expect(item.name).toMatch(/^caliper:/);
        // The docs reuse three event ids across 8 examples (README.md there): a Caliper
        // event's id is its identity, so the later ones are duplicates.
        const repeated = seenIds.has(data[index].id);
        seenIds.add(data[index].id);
        expect({ file, outcome: item.status }).toEqual({
          file,
          outcome: repeated ? 'duplicate' : isProjected(item.name, data[index]) ? 'stored' : 'unprojected',
        });
        const object = parseCanvasIri(data[index].object.id);
        if (isProjected(item.name, data[index]) && !repeated) {
          expect(object && caliperRows[object.kind]).toBeDefined();
          const found = await row(db(), caliperRows[object!.kind], { id: object!.id });
          expect({ file, found: found !== null }).toEqual({ file, found: true });
        }
      }
    }
    expect(seenIds.size).toBe(30); // 35 examples, 3 ids each used by 2 or 3 of them
    // submission_created/_updated, assignment_created (assignment_updated repeats assignment_override_updated's id),
    // enrollment_created/_updated (the other Event:Created/Modified:Entity kinds, enrollment states too, are unprojected)
    expect(await db().dataSource.getRepository(EventRecord).countBy({ status: 'PROJECTED' })).toBe(5);
  });

  it('accepts every Caliper example in one NDJSON batch (an envelope a line), to the same log', async () => {
    const byOne = await db()
      .dataSource.getRepository(EventRecord)
      .find({ order: { id: 'ASC' } });
    await clearEverything(db().dataSource);
    const res = await postEvents(app, ndjson(caliperDocs.map(({ text }) => JSON.parse(text))), 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    expect(res.body.items).toHaveLength(35);
    const batch = await db()
      .dataSource.getRepository(EventRecord)
      .find({ order: { id: 'ASC' } });
    const summary = (rows: EventRecord[]) => rows.map((r) => [r.name, r.contentHash, r.status, r.payload]).sort();
    expect(summary(batch)).toEqual(summary(byOne));
  });
});
