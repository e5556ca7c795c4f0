// Group commit: appends that arrive while a transaction is running wait for it and are
// then committed together, in one transaction. Canvas sends one event a request from
// many connections at once; alone, each would pay its own round trips (hash lookup,
// insert, row reads, flush) and its own commit, and every one of them touches the same
// course and user rows, so they would mostly queue on those row locks anyway. Together
// they share those statements and one commit. Nobody waits for a timer: a group is
// whatever came in while the previous group was being written.
//
// A group that fails for something one of its parts did is not allowed to fail the
// others: it is split in halves, each committed as a group, and so on down to the part
// that cannot be stored, which gets its error (about 2·log2(n) transactions, one after
// another in the group's slot). A failure that is nobody's in particular (the database
// is down, a conflict outlived its retries) fails the whole group at once: retrying
// each part would only multiply the wait before the same answer.

export interface GroupCommitOptions {
  /** Groups written at once (each its own transaction). */
  concurrency: number;
  /** A group is closed at this many items; a larger part is committed alone. */
  maxItems: number;
  /** Whether a failed group may owe its failure to one of its parts (then it is split to find it). */
  isPartsFault: (error: unknown) => boolean;
}

interface Waiting<P, R> {
  part: P;
  items: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<P, R> {
  private readonly waiting: Waiting<P, R>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    /** Commits the parts in one transaction; answers one result per part, in order. */
    private readonly commit: (parts: P[]) => Promise<R[]>,
    private readonly itemsOf: (part: P) => number,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(part: P): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ part, items: this.itemsOf(part), resolve, reject });
      // Start on the next turn of the event loop, after the requests that arrived with
      // this one have been read: they join its group. Without this, a database whose
      // driver never waits (better-sqlite3) would finish each transaction before the
      // next request is even parsed, and nothing would ever be grouped.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.startGroups();
        });
      }
    });
  }

  private startGroups(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.running++;
      this.write(group)
        // write() settles every part itself; should it throw anyway, no part may hang.
        .catch((error: unknown) => group.forEach((w) => w.reject(error)))
        .finally(() => {
          this.running--;
          this.startGroups();
        });
    }
  }

  /** The oldest waiting parts, up to maxItems items (at least one part). */
  private takeGroup(): Waiting<P, R>[] {
    let count = 0;
    let items = 0;
    while (count < this.waiting.length && (count === 0 || items + this.waiting[count].items <= this.options.maxItems)) {
      items += this.waiting[count].items;
      count++;
    }
    return this.waiting.splice(0, count);
  }

  private async write(group: Waiting<P, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.commit(group.map((w) => w.part));
    } catch (error) {
      if (group.length === 1 || !this.options.isPartsFault(error)) {
        for (const w of group) w.reject(error);
        return;
      }
      const half = Math.ceil(group.length / 2);
      await this.write(group.slice(0, half));
      await this.write(group.slice(half));
      return;
    }
    if (!Array.isArray(results) || results.length !== group.length) {
      // Committed, but the answers cannot be matched to the parts: a bug, not a retry.
      const error = new Error(`group commit: ${group.length} parts, ${String(results?.length)} results`);
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => w.resolve(results[i]));
  }
}
