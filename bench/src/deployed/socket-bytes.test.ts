import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bytesByConnectionKind,
  parseEstablished,
  parseListening,
  processKind,
} from './socket-bytes';

const ESTABLISHED = `0      0      127.0.0.1:51000 127.0.0.1:7051 users:(("node",pid=300,fd=24))
\t bbr wscale:10,10 rto:204 bytes_sent:1000 bytes_acked:1001 bytes_received:5000 segs_out:2
0      0      127.0.0.1:7051 127.0.0.1:51000 users:(("peer",pid=100,fd=26))
\t bbr wscale:10,10 rto:200 bytes_sent:5000 bytes_acked:5001 bytes_received:1000 segs_out:1
0      0      127.0.0.1:52000 127.0.0.1:7050 users:(("peer",pid=100,fd=30))
\t bbr rto:200 bytes_received:700 segs_in:3
`;

test('parseEstablished reads both ends of each connection with their PIDs and payload counters', () => {
  const sockets = parseEstablished(ESTABLISHED);
  assert.equal(sockets.length, 3);
  assert.deepEqual(sockets[0], {
    local: '127.0.0.1:51000',
    peer: '127.0.0.1:7051',
    localPort: 51000,
    peerPort: 7051,
    pid: 300,
    sent: 1000,
    received: 5000,
  });
  assert.deepEqual(sockets[2], {
    local: '127.0.0.1:52000',
    peer: '127.0.0.1:7050',
    localPort: 52000,
    peerPort: 7050,
    pid: 100,
    sent: 0,
    received: 700,
  });
});

test('parseListening maps each listening port to its PID', () => {
  const listening = parseListening(
    'LISTEN 0 4096 127.0.0.1:7051 0.0.0.0:* users:(("peer",pid=100,fd=9))\nLISTEN 0 4096 127.0.0.1:7050 0.0.0.0:* users:(("orderer",pid=200,fd=7))\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n',
  );
  assert.deepEqual(
    [...listening],
    [
      [7051, 100],
      [7050, 200],
    ],
  );
});

test('bytesByConnectionKind counts each connection once from its client side, as a difference between snapshots', () => {
  const listening = new Map([
    [7051, 100],
    [7050, 200],
  ]);
  const kinds: Record<number, string> = { 100: 'peer', 200: 'orderer', 300: 'gateway' };
  const before = parseEstablished(ESTABLISHED);
  const after = before.map((s) =>
    s.localPort === 51000 ? { ...s, sent: 1500, received: 9000 } : s,
  );
  const byKind = bytesByConnectionKind(
    before,
    after,
    listening,
    (pid) => kinds[pid ?? 0] ?? 'other',
  );
  // gateway → peer grew by 500 + 4000; peer → orderer did not move (left out); the server-side socket is never counted.
  assert.deepEqual([...byKind], [['gateway → peer', 4500]]);
  // A connection that is new in the second snapshot counts from zero.
  assert.deepEqual(
    [...bytesByConnectionKind([], after, listening, (pid) => kinds[pid ?? 0] ?? 'other')],
    [
      ['gateway → peer', 10_500],
      ['peer → orderer', 700],
    ],
  );
});

test("processKind tells the fedledger run's processes apart by command line", () => {
  assert.equal(processKind('/work/shared/fabric/v3.1.5/bin/orderer start'), 'orderer');
  assert.equal(processKind('/work/shared/fabric/v3.1.5/bin/peer node start'), 'peer');
  assert.equal(
    processKind(
      'node /repo/node_modules/.bin/fabric-chaincode-node server --chaincode-address 127.0.0.1:9999',
    ),
    'chaincode server',
  );
  assert.equal(processKind('/usr/bin/node /repo/gateway/dist/main.js'), 'gateway');
  assert.equal(
    processKind('/usr/bin/node /repo/bench/dist/deployed/fabric-federation-main.js --orgs 3'),
    'demo driver',
  );
  assert.equal(processKind('sleep 5'), 'other');
});
