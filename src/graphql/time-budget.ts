// The wall-clock budget of one GraphQL execution (GRAPHQL_TIMEOUT_MS). The cost limit
// (./limits.ts) bounds what an operation may ask for; this bounds what it may take, for
// whatever the cost model misjudges (a slow database, a huge count). When the budget is
// spent the request is answered at once with one error naming the limit (HTTP 503, code
// QUERY_TIMEOUT) and the rest of the operation stops: every field resolver still waiting
// is abandoned, and every one that would start throws before doing any work, so no new
// statement is sent for it. Statements already sent finish in the database; their rows
// are dropped.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import type { Logger } from '../logger';

export const QUERY_TIMEOUT = 'QUERY_TIMEOUT';

/** The deadline of one execution. */
class Deadline {
  private readonly started = Date.now();
  private readonly at: number;
  private readonly timer: NodeJS.Timeout;
  private rejectWaiting!: (error: GraphQLError) => void;
  /** Rejects when the budget is spent; pending resolvers race against it. */
  private readonly spent: Promise<never>;
  expired = false;
  readonly error: GraphQLError;

  constructor(readonly budgetMs: number) {
    this.at = this.started + budgetMs;
    this.error = new GraphQLError(
      `Query stopped: it ran longer than the time limit of ${budgetMs} ms. Ask for fewer items or fewer nested lists, or narrow the filters.`,
      { extensions: { code: QUERY_TIMEOUT, limit: { name: 'time', max: budgetMs } } },
    );
    this.spent = new Promise<never>((_, reject) => (this.rejectWaiting = reject));
    this.spent.catch(() => undefined);
    this.timer = setTimeout(() => this.expire(), budgetMs);
    // Never the reason the process stays up.
    this.timer.unref();
  }

  /** Throws once the budget is spent. Reads the clock too: a run of synchronous work (SQLite) can delay the timer. */
  check(): void {
    if (!this.expired && Date.now() < this.at) return;
    this.expire();
    throw this.error;
  }

  race<T>(result: Promise<T>): Promise<T> {
    return Promise.race([result, this.spent]);
  }

  elapsedMs(): number {
    return Date.now() - this.started;
  }

  expire(): void {
    if (this.expired) return;
    this.expired = true;
    clearTimeout(this.timer);
    this.rejectWaiting(this.error);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The deadline of each request's execution, by its context object. */
const deadlines = new WeakMap<object, Deadline>();
const budgeted = new WeakSet<GraphQLFieldResolver<unknown, unknown>>();

/**
 * Puts every field resolver of `schema` (the ones that do work; plain property reads have
 * none) under the deadline of the request it runs for. In place, once per schema; a
 * request without a deadline (no plugin) runs as before.
 */
export function enforceTimeBudgets(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve || budgeted.has(resolve)) continue;
      const underDeadline: GraphQLFieldResolver<unknown, unknown> = (root, args, context, info) => {
        const deadline = deadlines.get(context as object);
        if (!deadline) return resolve(root, args, context, info);
        deadline.check();
        const result = resolve(root, args, context, info);
        return result instanceof Promise ? deadline.race(result) : result;
      };
      budgeted.add(underDeadline);
      field.resolve = underDeadline;
    }
  }
  return schema;
}

/** Starts each execution's deadline and, when it expired, answers with its error alone. */
export function timeBudgetPlugin(options: { budgetMs: number; logger: Logger }): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      let deadline: Deadline | undefined;
      return {
        async executionDidStart() {
          deadline = new Deadline(options.budgetMs);
          deadlines.set(contextValue as object, deadline);
        },
        async willSendResponse({ response, operationName }) {
          if (!deadline) return;
          deadline.dispose();
          deadlines.delete(contextValue as object);
          if (!deadline.expired || response.body.kind !== 'single') return;
          const elapsedMs = deadline.elapsedMs();
          options.logger.warn(
            { operationName, elapsedMs, budgetMs: options.budgetMs },
            'GraphQL query stopped at its time limit (GRAPHQL_TIMEOUT_MS)',
          );
          response.http.status = 503;
          response.body.singleResult = {
            errors: [
              {
                message: deadline.error.message,
                extensions: { code: QUERY_TIMEOUT, limit: { name: 'time', value: elapsedMs, max: options.budgetMs } },
              },
            ],
          };
        },
      };
    },
  };
}
