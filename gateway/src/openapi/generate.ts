import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generateOpenApiJson } from './openapi-spec';

/** Where the committed spec lives: `docs/api/openapi.json` at the repository root. */
export const OPENAPI_PATH = resolve(__dirname, '..', '..', '..', 'docs', 'api', 'openapi.json');

/** `node gateway/dist/openapi/generate.js [out]`: writes the gateway's OpenAPI document. */
async function main(): Promise<void> {
  const out = process.argv[2] ? resolve(process.argv[2]) : OPENAPI_PATH;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await generateOpenApiJson());
  process.stdout.write(`wrote ${join(out)}\n`);
}

if (require.main === module) {
  void main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
