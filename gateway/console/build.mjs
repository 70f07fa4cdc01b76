// Bundles the web console (gateway/console/src) into gateway/console/dist for the gateway to serve:
// content-hashed file names under assets/, an index.html that names them, and a manifest the
// gateway reads at start-up. Type checking is `tsc -p console` (run before this by build:console).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'dist');
const assetsDir = join(outDir, 'assets');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(assetsDir, { recursive: true });

const result = await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: assetsDir,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const script = outputs.find((name) => name.endsWith('.js'));
const style = outputs.find((name) => name.endsWith('.css'));
if (!script || !style)
  throw new Error(`the console build produced no script or no stylesheet: ${outputs.join(', ')}`);

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fedledger console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${style}">
<script type="module" src="/assets/${script}"></script>
</head>
<body>
<noscript>The fedledger console needs JavaScript. The REST API and its Swagger UI are at <a href="/api">/api</a>.</noscript>
<div id="app"></div>
</body>
</html>
`;
writeFileSync(join(outDir, 'index.html'), html);
writeFileSync(
  join(outDir, 'manifest.json'),
  `${JSON.stringify({ index: 'index.html', assets: outputs.sort() }, null, 2)}\n`,
);
process.stdout.write(`console: ${outputs.length} assets in ${outDir}\n`);
