// Subscriptions over graphql-ws on the HTTP server's /graphql (the same port as queries).
// A browser's WebSocket handshake carries no Authorization header, so the token comes in
// the connection_init message's payload (connectionParams): `{ authorization: "Bearer
// <token>" }` or `{ token: "<token>" }`; a non-browser client may send the header instead.
// No usable token closes the socket with 4401, a token without the read role with 4403.
// Each operation is parsed, validated and held to the same depth, alias and cost limits
// as POST /graphql; only subscriptions run here (queries go over HTTP, where their time
// budget and metrics apply).
import type { Server } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../logger';
import type { TokenStore } from '../../security/tokens';
import { createContext, GraphQLContext } from '../context';
import { checkOperationLimits, MAX_QUERY_TOKENS, QueryLimits } from '../limits';
import type { LiveConnection, LiveFeed } from './feed';

export interface LiveLimits {
  /** Most subscriptions open at once on one connection. */
  perConnection: number;
  /** Most subscriptions open at once on this instance. */
  perInstance: number;
  /** Most updates waiting for one connection's client before it is dropped. */
  queueLimit: number;
  /** How long a new socket may take to send connection_init. */
  initTimeoutMs: number;
}

export interface LiveServerOptions {
  schema: GraphQLSchema;
  dataSource: DataSource;
  feed: LiveFeed;
  tokens: TokenStore;
  queryLimits: QueryLimits;
  limits: LiveLimits;
  logger: Logger;
}

/** Largest WebSocket message accepted: a subscription document and its variables. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** Close code of a connection dropped because its client did not keep up (RFC 6455: try again later). */
export const TOO_SLOW = 1013;

interface Connection extends LiveConnection {
  role: GraphQLContext['role'];
}

/** Serves subscriptions on `server`'s /graphql; returns what closes every live connection. */
export function attachSubscriptions(server: Server, options: LiveServerOptions): () => Promise<void> {
  const { schema, feed, tokens, limits, logger } = options;
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const connections = new WeakMap<object, Connection>();
  const refuse = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } })];

  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      onConnect: (ctx) => {
        const socket = ctx.extra.socket;
        let role: Connection['role'];
        if (tokens.open) {
          role = 'admin';
        } else {
          const token = presentedToken(ctx.connectionParams, ctx.extra.request.headers.authorization);
          const roles = token ? tokens.rolesOf(token) : new Set<string>();
          if (roles.size === 0) {
            socket.close(CloseCode.Unauthorized, token ? 'Unauthorized: the token is not valid' : TOKEN_HINT);
            return false;
          }
          if (!roles.has('read') && !roles.has('admin')) {
            socket.close(CloseCode.Forbidden, 'Forbidden: this token needs the read or admin role');
            return false;
          }
          role = roles.has('admin') ? 'admin' : 'reader';
        }
        let dropped = false;
        connections.set(ctx, {
          role,
          pending: 0,
          subscriptions: 0,
          maxSubscriptions: limits.perConnection,
          queueLimit: limits.queueLimit,
          drop: (reason) => {
            if (dropped) return;
            dropped = true;
            logger.warn(
              { queueLimit: limits.queueLimit },
              'live updates: dropped a connection whose client was too slow',
            );
            socket.close(TOO_SLOW, reason);
          },
        });
        return true;
      },
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const connection = connections.get(ctx);
        if (!connection) return refuse('the connection is not initialised');
        if (typeof payload.query !== 'string') return refuse('the subscribe message has no query');
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: MAX_QUERY_TOKENS });
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (!operation) return refuse('the document has no operation of that name (or several and no operationName)');
        if (operation.operation !== 'subscription') {
          return refuse(`only subscriptions run over WebSocket; send ${operation.operation}s with POST /graphql`);
        }
        const variableValues = payload.variables ?? undefined;
        try {
          checkOperationLimits(options.queryLimits, {
            schema,
            document,
            operation,
            operationName: payload.operationName,
            variables: variableValues,
          });
        } catch (error) {
          return [error as GraphQLError];
        }
        const contextValue: GraphQLContext = {
          ...createContext(options.dataSource, connection.role),
          live: { feed, connection },
        };
        return { schema, document, operationName: payload.operationName, variableValues, contextValue };
      },
    },
    wss,
  );

  return async () => {
    for (const client of wss.clients) client.close(1001, 'server shutting down');
    await disposable.dispose();
  };
}

const TOKEN_HINT = 'Unauthorized: send connectionParams { authorization: "Bearer <token>" }';

/** The token of a connection: its connectionParams' authorization or token, else the upgrade request's header. */
function presentedToken(params: Record<string, unknown> | undefined, header: string | undefined): string | null {
  const fromParams = params?.authorization ?? params?.Authorization;
  const bearer = typeof fromParams === 'string' ? fromParams : header;
  if (typeof bearer === 'string') {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(bearer);
    return match ? match[1] : null;
  }
  return typeof params?.token === 'string' && params.token !== '' ? params.token : null;
}
