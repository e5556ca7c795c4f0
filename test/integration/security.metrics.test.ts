// /metrics after some traffic: events by name and outcome, ingest latency, GraphQL
// operations with duration and errors, database connections, process defaults; each
// app with its own registry.
import type { Express } from 'express';
import request from 'supertest';
import { submissionEvent, unknownEvent } from '../support/builders';
import { describeEachDatabase } from '../support/databases';
import { authorization, graphqlPost, securedApp } from '../support/security';

const INGEST = { 'Content-Type': 'application/json', ...authorization('ingest') };

async function metricsText(app: Express): Promise<string> {
  const res = await request(app).get('/metrics').set(authorization('metrics'));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** The value of one sample line, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describeEachDatabase('metrics at /metrics', (db) => {
  let app: Express;
  let text: string;

  beforeAll(async () => {
    app = await securedApp(db());
    const event = submissionEvent({ name: 'submission_created' });
    await request(app).post('/events').set(INGEST).send(JSON.stringify(event));
    await request(app).post('/events').set(INGEST).send(JSON.stringify(event));
    await request(app)
      .post('/events')
      .set(INGEST)
      .send(JSON.stringify([unknownEvent('grade_change_unknown'), { metadata: {} }]));
    await request(app).post('/events').set(INGEST).send('{ not json');
    await graphqlPost(app, 'query CourseCount { courses { totalCount } }', authorization('read'));
    await graphqlPost(app, 'query CourseCount { courses { totalCount } }', authorization('read'));
    await graphqlPost(app, 'query EventLog { events { totalCount } }', authorization('read'));
    await graphqlPost(app, 'query BadId { course(id: "x") { id } }', authorization('read'));
    text = await metricsText(app);
  });

  it('counts events ingested by name and outcome', () => {
    expect(sample(text, 'canvas_events_ingested_total{event_name="submission_created",outcome="stored"}')).toBe(1);
    expect(sample(text, 'canvas_events_ingested_total{event_name="submission_created",outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'canvas_events_ingested_total{event_name="grade_change_unknown",outcome="unprojected"}')).toBe(
      1,
    );
    expect(sample(text, 'canvas_events_ingested_total{event_name="unknown",outcome="rejected"}')).toBe(2);
  });

  it('observes how long ingest requests take, by status', () => {
    expect(sample(text, 'canvas_events_ingest_duration_seconds_count{route="events",status="200"}')).toBe(3);
    expect(sample(text, 'canvas_events_ingest_duration_seconds_count{route="events",status="400"}')).toBe(1);
    expect(text).toMatch(/canvas_events_ingest_duration_seconds_bucket\{le="0\.1",route="events",status="200"\} \d+/);
  });

  it('counts GraphQL operations by name, with their duration and errors by code', () => {
    expect(
      sample(
        text,
        'canvas_events_graphql_operations_total{operation_name="CourseCount",operation_type="query",outcome="ok"}',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'canvas_events_graphql_operations_total{operation_name="EventLog",operation_type="query",outcome="error"}',
      ),
    ).toBe(1);
    expect(sample(text, 'canvas_events_graphql_errors_total{operation_name="EventLog",code="FORBIDDEN"}')).toBe(1);
    expect(sample(text, 'canvas_events_graphql_errors_total{operation_name="BadId",code="BAD_USER_INPUT"}')).toBe(1);
    expect(
      sample(
        text,
        'canvas_events_graphql_operation_duration_seconds_count{operation_name="CourseCount",operation_type="query"}',
      ),
    ).toBe(2);
  });

  it('reports the database connections in use and the pool size', () => {
    const max = sample(text, 'canvas_events_db_connections_max');
    expect(max).toBe(db().kind === 'sqlite' ? 1 : 10);
    expect(sample(text, 'canvas_events_db_connections_in_use')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'canvas_events_db_connections_waiting')).toBe(0);
  });

  it('includes the default process metrics', () => {
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('keeps each app’s counts in its own registry', async () => {
    const other = await securedApp(db());
    const fresh = await metricsText(other);
    expect(
      sample(fresh, 'canvas_events_ingested_total{event_name="submission_created",outcome="stored"}'),
    ).toBeUndefined();
    expect(
      sample(await metricsText(app), 'canvas_events_ingested_total{event_name="submission_created",outcome="stored"}'),
    ).toBe(1);
  });
});
