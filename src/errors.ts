// The one error type for bad input. It carries the path of the offending field so every
// refusal says what was wrong and where; HTTP turns it into a 4xx, GraphQL into an error
// with code BAD_USER_INPUT. Anything else that is thrown is a bug: masked and logged.

export class BadInputError extends Error {
  constructor(
    /** What is wrong, without the path. */
    readonly detail: string,
    /** Where the problem is, e.g. `metadata.event_time` or `[3].body.submission_id`. */
    readonly path: string | null = null,
    /** The HTTP status that fits (400 unless it is about size, type or auth). */
    readonly status: number = 400,
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'BadInputError';
  }

  /** The same error, located inside an outer item (`[3]` + `metadata.x` → `[3].metadata.x`). */
  within(outer: string | null): BadInputError {
    if (!outer) return this;
    const inner = this.path ? (this.path.startsWith('[') ? this.path : `.${this.path}`) : '';
    return new BadInputError(this.detail, `${outer}${inner}`, this.status);
  }
}
