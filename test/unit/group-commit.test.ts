// The group commit's own rules, with a commit function that records what it was given:
// who is grouped with whom, the item cap, and that one failing part fails only itself.
import { GroupCommit } from '../../src/ingest/group-commit';

type Part = { name: string; items: number; fail?: boolean };

/** What a database outage looks like to the group commit: nobody's fault in particular. */
class Outage extends Error {}

function recorder(limits = { concurrency: 1, maxItems: 10 }, answer?: (parts: Part[]) => string[]) {
  const groups: string[][] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  const commits = new GroupCommit<Part, string>(
    async (parts) => {
      groups.push(parts.map((p) => p.name));
      await gate;
      if (parts.some((p) => p.fail)) throw new Error(`cannot store ${parts.find((p) => p.fail)!.name}`);
      if (parts.some((p) => p.name === 'outage')) throw new Outage('database unavailable');
      return answer ? answer(parts) : parts.map((p) => `${p.name} stored`);
    },
    (part) => part.items,
    { ...limits, isPartsFault: (error) => !(error instanceof Outage) },
  );
  return {
    commits,
    groups,
    /** Holds every commit until released. */
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

/** One turn of the event loop: a group submitted before it has started by the end of it. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('groups what arrives in one turn of the event loop, and what arrives while a group is written into the next', async () => {
    const r = recorder();
    r.hold();
    const first = ['a', 'b'].map((name) => r.commits.submit({ name, items: 1 }));
    await nextTurn();
    const rest = ['c', 'd', 'e'].map((name) => r.commits.submit({ name, items: 1 }));
    r.release();
    expect(await Promise.all(first)).toEqual(['a stored', 'b stored']);
    expect(await Promise.all(rest)).toEqual(['c stored', 'd stored', 'e stored']);
    expect(r.groups).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('closes a group at maxItems, and commits a larger part alone', async () => {
    const r = recorder({ concurrency: 1, maxItems: 10 });
    r.hold();
    const all = [r.commits.submit({ name: 'first', items: 1 })];
    await nextTurn();
    all.push(
      r.commits.submit({ name: 'six', items: 6 }),
      r.commits.submit({ name: 'four', items: 4 }),
      r.commits.submit({ name: 'one', items: 1 }),
      r.commits.submit({ name: 'big', items: 25 }),
    );
    r.release();
    await Promise.all(all);
    expect(r.groups).toEqual([['first'], ['six', 'four'], ['one'], ['big']]);
  });

  it('runs up to `concurrency` groups at once', async () => {
    const r = recorder({ concurrency: 2, maxItems: 10 });
    r.hold();
    const all = [r.commits.submit({ name: 'a', items: 1 })];
    await nextTurn();
    all.push(r.commits.submit({ name: 'b', items: 1 }));
    await nextTurn();
    all.push(...['c', 'd'].map((name) => r.commits.submit({ name, items: 1 })));
    r.release();
    await Promise.all(all);
    expect(r.groups).toEqual([['a'], ['b'], ['c', 'd']]);
  });

  it('when a part makes its group fail, halves the group until that part fails alone; the others are committed', async () => {
    const r = recorder();
    r.hold();
    const first = r.commits.submit({ name: 'a', items: 1 });
    await nextTurn();
    const names = ['b', 'c', 'poison', 'd', 'e'];
    const rest = names.map((name) => r.commits.submit({ name, items: 1, fail: name === 'poison' }));
    r.release();
    const answers = await Promise.allSettled([first, ...rest]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual([
      'a stored',
      'b stored',
      'c stored',
      'cannot store poison',
      'd stored',
      'e stored',
    ]);
    expect(r.groups).toEqual([
      ['a'],
      ['b', 'c', 'poison', 'd', 'e'],
      ['b', 'c', 'poison'],
      ['b', 'c'],
      ['poison'],
      ['d', 'e'],
    ]);
  });

  it('when the database is unavailable, fails the whole group at once instead of retrying each part', async () => {
    const r = recorder();
    const answers = await Promise.allSettled(['a', 'outage', 'b'].map((name) => r.commits.submit({ name, items: 1 })));
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(answers.map((a) => ((a as PromiseRejectedResult).reason as Error).message)).toEqual([
      'database unavailable',
      'database unavailable',
      'database unavailable',
    ]);
    expect(r.groups).toEqual([['a', 'outage', 'b']]);
  });

  it('refuses to guess when the results do not match the parts, and does not commit again', async () => {
    const r = recorder(undefined, (parts) => parts.slice(1).map((p) => p.name));
    const answers = await Promise.allSettled(['a', 'b'].map((name) => r.commits.submit({ name, items: 1 })));
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(r.groups).toEqual([['a', 'b']]);
  });

  it('a lone failing part gets its error, and later parts are still committed', async () => {
    const r = recorder();
    await expect(r.commits.submit({ name: 'poison', items: 1, fail: true })).rejects.toThrow('cannot store poison');
    expect(await r.commits.submit({ name: 'after', items: 1 })).toBe('after stored');
  });
});
