#!/usr/bin/env node
'use strict';
// Sets values at dotted paths in a block-style YAML file (Fabric's sampleconfig core.yaml and
// orderer.yaml) and keeps every other line, comments included, so the derived file still reads
// like the upstream one. No YAML library is available outside the npm workspaces and yq is not
// installed, so this edits lines: it understands block mappings and block sequences, which is all
// those files use. Values are given as JSON and written as YAML flow values (JSON is valid YAML).
//
// usage: edit-yaml.js --in SRC --out DST --set path.to.key=JSON [--set ...]
// A missing key is created under its nearest existing parent (reported on stderr).

const fs = require('node:fs');

class EditError extends Error {}

const KEY_LINE = /^( *)([A-Za-z0-9_.-]+):(?:[ \t]+(.*))?$/;

function indentOf(line) {
  return line.length - line.trimStart().length;
}

function isContent(line) {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}

/** End (exclusive) of the block owned by the key on line `at`, trailing blanks/comments excluded. */
function blockEnd(lines, at) {
  const keyIndent = indentOf(lines[at]);
  let end = at + 1;
  let lastContent = at;
  for (; end < lines.length; end++) {
    const line = lines[end];
    if (!isContent(line)) continue;
    const indent = indentOf(line);
    const sequenceItem = indent === keyIndent && line.trimStart().startsWith('- ');
    if (indent <= keyIndent && !sequenceItem) break;
    lastContent = end;
  }
  return lastContent + 1;
}

/** Find `key` among the direct children in [from, to); returns the line index or -1. */
function findChild(lines, from, to, key) {
  let childIndent = -1;
  for (let i = from; i < to; i++) {
    if (!isContent(lines[i])) continue;
    const indent = indentOf(lines[i]);
    if (childIndent === -1) childIndent = indent;
    if (indent !== childIndent) continue;
    const match = KEY_LINE.exec(lines[i]);
    if (match && match[2] === key) return i;
  }
  return -1;
}

function firstChildIndent(lines, from, to) {
  for (let i = from; i < to; i++) if (isContent(lines[i])) return indentOf(lines[i]);
  return -1;
}

const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./:-]*$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|~)$/i;

function renderValue(value) {
  if (typeof value === 'string') {
    return PLAIN_SAFE.test(value) && !YAML_WORDS.test(value) ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

/** Apply one assignment in place; returns 'set' or 'created'. */
function setPath(lines, path, value) {
  const keys = path.split('.');
  let from = 0;
  let to = lines.length;
  let parentLine = -1;
  for (let depth = 0; depth < keys.length; depth++) {
    const at = findChild(lines, from, to, keys[depth]);
    if (at === -1) {
      createPath(lines, parentLine, from, to, keys.slice(depth), value, path);
      return 'created';
    }
    if (depth === keys.length - 1) {
      const end = blockEnd(lines, at);
      const indent = ' '.repeat(indentOf(lines[at]));
      lines.splice(at, end - at, `${indent}${keys[depth]}: ${renderValue(value)}`);
      return 'set';
    }
    const inline = KEY_LINE.exec(lines[at])[3];
    if (inline !== undefined && inline.trim() !== '' && !inline.trim().startsWith('#')) {
      throw new EditError(`${keys.slice(0, depth + 1).join('.')} holds a value, not a mapping`);
    }
    parentLine = at;
    from = at + 1;
    to = blockEnd(lines, at);
  }
  throw new EditError(`unreachable for ${path}`);
}

function createPath(lines, parentLine, from, to, missing, value, fullPath) {
  const existing = firstChildIndent(lines, from, to);
  const parentIndent = parentLine === -1 ? -4 : indentOf(lines[parentLine]);
  const indent = existing === -1 ? parentIndent + 4 : existing;
  const step = existing === -1 || parentLine === -1 ? 4 : existing - parentIndent;
  const added = missing.map((key, i) => {
    const pad = ' '.repeat(indent + step * i);
    return i === missing.length - 1 ? `${pad}${key}: ${renderValue(value)}` : `${pad}${key}:`;
  });
  lines.splice(parentLine === -1 ? lines.length : parentLine + 1, 0, ...added);
  process.stderr.write(`edit-yaml: created ${fullPath} (not present in the source file)\n`);
}

function parseArgs(argv) {
  const args = { sets: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = argv[i + 1];
    if (next === undefined) throw new EditError(`missing value after ${flag}`);
    if (flag === '--in') args.in = next;
    else if (flag === '--out') args.out = next;
    else if (flag === '--set') args.sets.push(next);
    else throw new EditError(`unknown argument ${flag}`);
    i++;
  }
  if (!args.in || !args.out || args.sets.length === 0) {
    throw new EditError('usage: edit-yaml.js --in SRC --out DST --set path=JSON [--set ...]');
  }
  return args;
}

function parseAssignment(text) {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new EditError(`--set expects path=JSON, got '${text}'`);
  const path = text.slice(0, eq);
  try {
    return { path, value: JSON.parse(text.slice(eq + 1)) };
  } catch {
    throw new EditError(`value for ${path} is not JSON: ${text.slice(eq + 1)}`);
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const source = fs.readFileSync(args.in, 'utf8');
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  for (const assignment of args.sets.map(parseAssignment)) {
    setPath(lines, assignment.path, assignment.value);
  }
  fs.writeFileSync(args.out, lines.join('\n'));
}

try {
  main();
} catch (error) {
  const message = error instanceof EditError ? error.message : String(error);
  process.stderr.write(`edit-yaml: ${message}\n`);
  process.exit(1);
}
