#!/usr/bin/env node
'use strict';
// Renders the chaincode's private-data collection config and endorsement policy for a set of
// member orgs. Needs the chaincode built first: `npx tsc -b chaincode` from the repository root.
//
//   node chaincode/deploy/render-deploy-config.js --member-orgs Org1MSP,Org2MSP,Org3MSP
//       prints {"collectionsConfig": [...], "endorsementPolicy": "OutOf(2,'Org1MSP.peer',...)"}
//   node chaincode/deploy/render-deploy-config.js --member-orgs Org1MSP,Org2MSP,Org3MSP --out DIR
//       writes DIR/collections-config.json and DIR/endorsement-policy.txt, prints the policy

const fs = require('node:fs');
const path = require('node:path');

const USAGE = 'usage: render-deploy-config.js --member-orgs Org1MSP,Org2MSP[,...] [--out DIR]';

function parseArgs(argv) {
  const options = { memberOrgs: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (flag === '--member-orgs' && value !== undefined) {
      options.memberOrgs = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      i++;
    } else if (flag === '--out' && value !== undefined) {
      options.out = value;
      i++;
    } else {
      throw new Error(`unexpected argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  if (options.memberOrgs === undefined) {
    throw new Error(`--member-orgs is required\n${USAGE}`);
  }
  return options;
}

function loadRenderer() {
  const compiled = path.join(__dirname, '..', 'dist', 'deploy-config.js');
  if (!fs.existsSync(compiled)) {
    throw new Error(
      `${compiled} is missing: build first with \`npx tsc -b chaincode\` from the repository root`,
    );
  }
  return require(compiled).renderDeployConfig;
}

try {
  const options = parseArgs(process.argv.slice(2));
  const config = loadRenderer()(options.memberOrgs);
  if (options.out === undefined) {
    process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
  } else {
    fs.mkdirSync(options.out, { recursive: true });
    fs.writeFileSync(
      path.join(options.out, 'collections-config.json'),
      `${JSON.stringify(config.collectionsConfig, null, 2)}\n`,
    );
    fs.writeFileSync(
      path.join(options.out, 'endorsement-policy.txt'),
      `${config.endorsementPolicy}\n`,
    );
    process.stdout.write(`${config.endorsementPolicy}\n`);
  }
} catch (error) {
  process.stderr.write(
    `render-deploy-config: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
}
