#!/usr/bin/env node
'use strict';
// Reports which of the given ports cannot be bound on the given address.
// usage: check-ports.js ADDRESS PORT [PORT ...]   → prints busy ports one per line; exit 0.
// Binding (rather than connecting) also catches ports held by a process that is not accepting.
const net = require('node:net');

function canBind(address, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

async function main() {
  const [address, ...ports] = process.argv.slice(2);
  if (!address || ports.length === 0 || ports.some((p) => !/^[0-9]+$/.test(p))) {
    process.stderr.write('usage: check-ports.js ADDRESS PORT [PORT ...]\n');
    process.exit(2);
  }
  for (const port of ports) {
    if (!(await canBind(address, Number(port)))) process.stdout.write(`${port}\n`);
  }
}

void main();
