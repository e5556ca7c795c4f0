// Structured logs with pino: JSON in production, pretty in development. Never tokens,
// payload bodies or personal data: request logging records method, path and status only.
import pino, { Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** `destination` (tests) replaces stdout; the redaction rules stay the same. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>,
  destination?: pino.DestinationStream,
): Logger {
  const pretty = !destination && config.NODE_ENV === 'development' && process.stdout.isTTY;
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.query.token',
        // Errors can carry what was sent: body-parser keeps the raw body, TypeORM and mysql2
        // the statement with its values (event payloads, names, emails).
        'err.body',
        'err.raw',
        'err.parameters',
        'err.sql',
        'err.driverError.sql',
        'err.driverError.parameters',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
