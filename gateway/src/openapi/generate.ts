import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateOpenApiJson } from './openapi-spec';

/** Where the committed spec lives: `docs/api/openapi.json` at the repository root. */
export const OPENAPI_PATH = resolve(__dirname, '..', '..', '..', 'docs', 'api', 'openapi.json');

const USAGE = `Usage: node gateway/dist/openapi/generate.js [OUT]

Writes the gateway's OpenAPI document (built offline: no ledger, temporary directories) to OUT,
by default docs/api/openapi.json, the committed copy that a test compares with the code.
`;

/** `node gateway/dist/openapi/generate.js [out]`: writes the gateway's OpenAPI document. */
async function main(args: string[]): Promise<void> {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  const flag = args.find((arg) => arg.startsWith('-'));
  if (flag !== undefined || args.length > 1) {
    process.stderr.write(
      `${flag !== undefined ? `unknown option ${flag}` : 'at most one output path'}\n\n${USAGE}`,
    );
    process.exit(2);
  }
  const out = args[0] ? resolve(args[0]) : OPENAPI_PATH;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await generateOpenApiJson());
  process.stdout.write(`wrote ${join(out)}\n`);
}

if (require.main === module) {
  void main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
