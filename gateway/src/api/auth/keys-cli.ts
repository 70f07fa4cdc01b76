import { join, resolve } from 'node:path';
import { isFedLedgerError } from '@fedledger/core';
import { API_ROLES, type ApiRole } from '../../ledger/port/ledger.tokens';
import { ApiKeyStore } from './api-key-store';

export const KEYS_HELP = `Usage: node gateway/dist/cli.js keys <command> [options]

Manage the gateway's API keys. The key file is --keys-file, else $FEDLEDGER_API_KEYS_FILE,
else $FEDLEDGER_STATE_DIR/api-keys.json.

Commands:
  keys create --role <admin|scientist|auditor> --name <name>   create a key; prints it once
  keys revoke <id>                                            revoke a key
  keys list                                                   list keys (never the secrets)

Options:
  --keys-file <path>   the API key file
  --help               show this help
`;

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Runs `keys ...`; returns the process exit code. */
export function runKeysCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliOutput,
): number {
  const args = parseArgs(argv);
  if (args.flags.has('help') || args.positional[0] !== 'keys' || args.positional.length < 2) {
    if (args.flags.has('help')) io.out(KEYS_HELP);
    else io.err(KEYS_HELP);
    return args.flags.has('help') ? 0 : 2;
  }
  const keysFile =
    args.options.get('keys-file') ??
    env['FEDLEDGER_API_KEYS_FILE'] ??
    (env['FEDLEDGER_STATE_DIR'] ? join(env['FEDLEDGER_STATE_DIR'], 'api-keys.json') : undefined);
  if (!keysFile) {
    io.err('no key file: pass --keys-file or set FEDLEDGER_API_KEYS_FILE or FEDLEDGER_STATE_DIR\n');
    return 2;
  }
  const store = new ApiKeyStore(resolve(keysFile));
  try {
    switch (args.positional[1]) {
      case 'create': {
        const role = args.options.get('role');
        const name = args.options.get('name');
        if (!role || !(API_ROLES as readonly string[]).includes(role) || !name) {
          io.err(`keys create needs --role <${API_ROLES.join('|')}> and --name <name>\n`);
          return 2;
        }
        const { record, apiKey } = store.create(name, role as ApiRole);
        io.out(
          `${JSON.stringify({ id: record.id, name: record.name, role: record.role, apiKey })}\n`,
        );
        return 0;
      }
      case 'revoke': {
        const id = args.positional[2];
        if (!id) {
          io.err('keys revoke needs the key id\n');
          return 2;
        }
        const record = store.revoke(id);
        io.out(`${JSON.stringify({ id: record.id, revokedAt: record.revokedAt })}\n`);
        return 0;
      }
      case 'list':
        for (const { id, name, role, createdAt, revokedAt } of store.list()) {
          io.out(
            `${JSON.stringify({ id, name, role, createdAt, revokedAt: revokedAt ?? null })}\n`,
          );
        }
        return 0;
      default:
        io.err(KEYS_HELP);
        return 2;
    }
  } catch (error) {
    io.err(`${isFedLedgerError(error) ? error.message : String(error)}\n`);
    return 1;
  }
}

interface ParsedArgs {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      parsed.flags.add('help');
    } else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      const value = inline ?? argv.at(++i);
      if (value !== undefined) parsed.options.set(name, value);
    } else {
      parsed.positional.push(arg);
    }
  }
  return parsed;
}
