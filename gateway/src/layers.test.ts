import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The gateway's layers, lowest first (docs/architecture.md, ADR 0027). A source file may import
 * files of its own layer and of lower layers only; `ledger` and `ml` share a rank and must not import
 * each other. The top-level files (main, cli, app.*, index) and `openapi/` assemble the whole app and
 * sit above every layer. Tests (`*.test.ts`, `testing/`, `tests/` folders) build whole apps too, so they may import
 * anything; no production file may import them.
 */
const RANK: Readonly<Record<string, number>> = {
  platform: 0,
  ledger: 1,
  ml: 1,
  api: 2,
  participation: 3,
  root: 4,
};

/** The layer of a path relative to `gateway/src`, `root`, or `testing` for test code. */
function layerOf(file: string): string {
  const folders = file.split('/').slice(0, -1);
  if (file.endsWith('.test.ts') || folders.includes('testing') || folders.includes('tests'))
    return 'testing';
  const top = folders[0] ?? 'root';
  if (top === 'openapi') return 'root';
  if (top in RANK) return top;
  throw new Error(`${file} is in no layer: put it under one of ${Object.keys(RANK).join(', ')}`);
}

/** `from` may import `to` (layers as named by {@link layerOf}). */
function allowed(from: string, to: string): boolean {
  if (from === 'testing') return true;
  if (to === 'testing') return false;
  return from === to || RANK[to] < RANK[from];
}

/** Each relative import of `source` (a file at `file`, relative to `gateway/src`) that breaks the rule. */
export function layerViolations(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(
    /(?:from|import\(|import|require\()\s*['"](\.{1,2}\/[^'"]*)['"]/g,
  )) {
    const target = normalize(join(dirname(file), match[1]))
      .split(sep)
      .join('/');
    if (target.startsWith('..')) continue; // outside gateway/src: not a layer question
    const from = layerOf(file);
    const to = layerOf(target.endsWith('.js') ? target : `${target}.ts`);
    if (!allowed(from, to)) found.push(`${file} (${from}) imports ${target} (${to})`);
  }
  return found;
}

function sourceFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, path);
    return entry.name.endsWith('.ts') ? [relative(root, path).split(sep).join('/')] : [];
  });
}

describe('gateway layers', () => {
  it('no source file imports a higher or sibling layer, nor test code', () => {
    const src = join(__dirname, '..', 'src');
    const files = sourceFiles(src);
    assert.ok(files.length > 100, `expected the gateway's sources under ${src}`);
    const violations = files.flatMap((file) =>
      layerViolations(file, readFileSync(join(src, file), 'utf8')),
    );
    assert.deepEqual(violations, []);
  });

  it('reports an upward, a sibling and a test import, and allows downward ones', () => {
    assert.deepEqual(
      layerViolations('platform/errors/x.ts', "import { A } from '../../api/auth/api-key-store';"),
      ['platform/errors/x.ts (platform) imports api/auth/api-key-store (api)'],
    );
    assert.equal(
      layerViolations(
        'ml/training/x.ts',
        "import type { L } from '../../ledger/port/ledger.tokens';",
      ).length,
      1,
    );
    assert.equal(
      layerViolations('api/models/x.ts', "import { world } from '../../testing/world';").length,
      1,
    );
    assert.equal(
      layerViolations('ledger/fabric/x.ts', "export { y } from '../../app.factory';").length,
      1,
    );
    assert.deepEqual(
      layerViolations(
        'participation/x.ts',
        "import { M } from '../api/models/model-weights.service';\nimport { C } from '../platform/config/gateway-config';",
      ),
      [],
    );
    assert.deepEqual(
      layerViolations('api/tests/x.test.ts', "import { a } from '../../app.factory';"),
      [],
    );
  });
});
