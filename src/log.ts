/**
 * Structured JSON logs (pino). Log events and ids of content, never message text, names or
 * raw user ids: callers pass hashed user keys at most. The redact list is a second line of
 * defence for fields that must never appear.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['text', '*.text', 'from.id', 'from.name', 'recipient.id', 'userId', 'authorization', '*.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and the terminal chat. */
export const silentLogger: Logger = pino({ level: 'silent' });
