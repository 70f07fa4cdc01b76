import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/gateway-config';

const RANK: Record<Exclude<LogLevel, 'silent'>, number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
};

type Sink = (line: string) => void;

/**
 * One JSON object per line: `{ time, level, context, msg, ...fields }`. A message may be an object,
 * whose fields are merged in, so callers log structured data (`{ msg, federationId, round }`).
 */
export class JsonLogger implements LoggerService {
  readonly #threshold: number;
  readonly #sink: Sink;
  readonly #org: string;

  constructor(
    level: LogLevel,
    org: string,
    sink: Sink = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.#threshold = level === 'silent' ? Number.POSITIVE_INFINITY : RANK[level];
    this.#sink = sink;
    this.#org = org;
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.#write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.#write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.#write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.#write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.#write('debug', message, rest);
  }

  #write(level: Exclude<LogLevel, 'silent'>, message: unknown, rest: unknown[]): void {
    if (RANK[level] < this.#threshold) return;
    // Nest passes the context as the last string argument; an error's stack may precede it.
    const context =
      typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const fields =
      typeof message === 'object' && message !== null && !(message instanceof Error)
        ? (message as Record<string, unknown>)
        : { msg: message instanceof Error ? message.message : String(message) };
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, org: this.#org };
    if (context) line['context'] = context;
    Object.assign(line, fields);
    if (level === 'error' && rest.length > 1 && typeof rest[0] === 'string')
      line['stack'] = rest[0];
    this.#sink(
      JSON.stringify(line, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      ),
    );
  }
}
