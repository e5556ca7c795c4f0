// Adding an event family is mechanical (ARCHITECTURE.md, "Adding an event family"): this
// test holds the steps that are easy to forget. Every event name a projector is registered
// for has a fixture, a generator in the test corpus (so the order-invariance property and
// the strict-store test cover it) and its line in README's list of projected events; and
// nothing is listed or generated that no projector takes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildProjectorRegistry } from '../../src/modules';
import { FIXTURE_NAMES, FIXTURES_DIR } from '../support/builders';
import { generators } from '../support/corpus';
import { LTI_FIXTURE } from '../support/lti';
import { caliperEventName, isCaliperEventName } from '../../src/canvas/caliper';

const all = buildProjectorRegistry().eventNames;
/** Canvas-format names; Caliper ones (`caliper:<type>:<action>:<object type>`) are checked below. */
const registered = all.filter((name) => !isCaliperEventName(name));
const caliperNames = all.filter(isCaliperEventName);
const CALIPER_DOCS = join(__dirname, '../fixtures/canvas-docs/caliper');

/** Fixtures that are not a live event in canvas-live-events/: an LTI launch is a form post. */
const OTHER_FIXTURES: Record<string, string> = { lti_launch: LTI_FIXTURE };

const fixtureOf = (name: string) => OTHER_FIXTURES[name] ?? join(FIXTURES_DIR, `${name}.json`);

/** The names in README's "<heading> …;" list. */
function readmeList(heading = 'Projected event types:', name = /`([a-z_]+)`/g): string[] {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const list = readme.slice(start, readme.indexOf(';', start));
  return [...list.matchAll(name)].map((m) => m[1]);
}

describe('every registered event family', () => {
  it('includes the families the service is known to project', () => {
    expect(registered).toEqual(
      expect.arrayContaining(['submission_created', 'assignment_created', 'assignment_updated', 'lti_launch']),
    );
  });

  it.each(registered)('%s has a fixture', (name) => {
    expect(existsSync(fixtureOf(name))).toBe(true);
    if (OTHER_FIXTURES[name]) return;
    expect(JSON.parse(readFileSync(fixtureOf(name), 'utf8')).metadata.event_name).toBe(name);
    expect(FIXTURE_NAMES as readonly string[]).toContain(name);
  });

  it.each(registered)('%s has a generator in the test corpus that produces it', (name) => {
    const generator = generators.find((g) => g.names.includes(name));
    expect(generator).toBeDefined();
    const produced = new Set(
      fc.sample(generator!.arbitrary, { numRuns: 100, seed: 1 }).map((e) => e.metadata.event_name),
    );
    expect(produced).toContain(name);
  });

  it('generates no event name that no projector takes', () => {
    expect(generators.flatMap((g) => g.names).filter((name) => !registered.includes(name))).toEqual([]);
  });

  it("is listed in README's projected event types, and nothing else is", () => {
    expect(readmeList().sort()).toEqual(registered);
  });
});

describe('every registered Caliper event', () => {
  /** The log's name of each documented Caliper example's events. */
  const documented = readdirSync(CALIPER_DOCS).flatMap((file) =>
    (JSON.parse(readFileSync(join(CALIPER_DOCS, file), 'utf8')) as { data: Record<string, unknown>[] }).data.map(
      caliperEventName,
    ),
  );

  it('includes the Caliper twins of the projected submission, assignment and enrollment events', () => {
    expect(caliperNames).toEqual(
      expect.arrayContaining([
        'caliper:AssignableEvent:Submitted:Attempt',
        'caliper:Event:Created:AssignableDigitalResource',
        'caliper:Event:Created:Entity',
      ]),
    );
  });

  // Caliper events have no corpus generator (the corpus is Canvas-format); their merge
  // with their Canvas twins in every arrival order is covered in caliper.test.ts.
  it.each(caliperNames)('%s has a documented example in canvas-docs/caliper', (name) => {
    expect(documented).toContain(name);
  });

  it("is listed in README's projected Caliper events, and nothing else is", () => {
    expect(readmeList('Projected Caliper events:', /`(caliper:[A-Za-z:]+)`/g).sort()).toEqual(caliperNames);
  });
});
