import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { OPENAPI_PATH } from './generate';
import { stableJson } from './openapi-document';
import { generateOpenApiJson } from './openapi-spec';

describe('OpenAPI document', () => {
  it('the committed docs/api/openapi.json equals a freshly generated one (run node gateway/dist/openapi/generate.js)', async () => {
    assert.equal(readFileSync(OPENAPI_PATH, 'utf8'), await generateOpenApiJson());
  });

  it('documents security schemes and error bodies', async () => {
    const spec = JSON.parse(await generateOpenApiJson()) as {
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
      paths: Partial<
        Record<
          string,
          Partial<Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>
        >
      >;
    };
    assert.deepEqual(Object.keys(spec.components.securitySchemes).sort(), ['api-key', 'bearer']);
    assert.ok('ErrorBodyDto' in spec.components.schemas);
    assert.equal(spec.paths['/health']?.['get']?.security, undefined);
    assert.ok(spec.paths['/federations']?.['post']?.security?.length);
    assert.ok('409' in (spec.paths['/federations/{id}/start']?.['post']?.responses ?? {}));
  });

  it('sorts object keys recursively and keeps array order', () => {
    assert.equal(
      stableJson({ b: [2, { d: 1, c: 0 }], a: null }),
      '{\n  "a": null,\n  "b": [\n    2,\n    {\n      "c": 0,\n      "d": 1\n    }\n  ]\n}\n',
    );
  });
});
