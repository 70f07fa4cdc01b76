/** What `node gateway/dist/main.js --help` prints: the gateway is configured by environment only. */
export const GATEWAY_USAGE = `Usage: node gateway/dist/main.js

Runs one organization's fedledger gateway. Configuration comes from the environment and is
validated at start; a bad value stops the gateway (exit 78) with a message naming the variable.

Required
  FEDLEDGER_ORG_CONNECTION   org connection file written by network/network.sh up (fabric mode)
  FEDLEDGER_DATA_DIR         the only directory datasets may be read from
  FEDLEDGER_STATE_DIR        API keys, dataset registry and bindings, event checkpoint

Optional (default)
  FEDLEDGER_LEDGER_MODE      fabric, the only mode (the in-process ledger of tests and the demo is set up in code)
  FEDLEDGER_HTTP_HOST        listen address (127.0.0.1)
  FEDLEDGER_HTTP_PORT        listen port (3000)
  FEDLEDGER_CHANNEL          channel (from the connection file, else fedledger)
  FEDLEDGER_CHAINCODE        chaincode (from the connection file, else fedledger)
  FEDLEDGER_API_KEYS_FILE    API key file (<state dir>/api-keys.json)
  FEDLEDGER_BODY_LIMIT       request body limit, e.g. 512kb, 16mb (16mb)
  FEDLEDGER_MAX_CSV_SIZE     largest dataset CSV file, e.g. 64mb, 1gb (256mb)
  FEDLEDGER_PARTICIPATION    train and submit automatically each round (true)
  FEDLEDGER_TRAIN_AHEAD      blob path: train the next round from this org's own aggregate while
                             the majority's acceptance commits (true)
  FEDLEDGER_LOG_LEVEL        debug | info | warn | error | silent (info)
  FEDLEDGER_LEDGER_TIMEOUT_MS  deadline of each ledger call (the network's LEDGER_TIMEOUT, else 30000)
  FEDLEDGER_BLOB_LISTEN      host:port of this org's blob server for large models (off)
  FEDLEDGER_BLOB_ENDPOINTS   every org's blob server: Org1MSP=https://host:port,... (with _LISTEN)
  FEDLEDGER_BLOB_TLS_CERT    the org's TLS certificate for blobs (from the connection file)
  FEDLEDGER_BLOB_TLS_KEY     its key (from the connection file)
  FEDLEDGER_BLOB_TLS_CAS     consortium TLS CAs: Org1MSP=/path.pem,... (from the connection file)
  FEDLEDGER_BLOB_MIN_PARAMS  models this large take the blob path (250000)
  FEDLEDGER_BLOB_TIMEOUT_MS  deadline of one blob download (600000)
  FEDLEDGER_TF_BACKEND       tensorflow | wasm | cpu (best available)

API keys: node gateway/dist/cli.js keys --help. Once running: Swagger UI at /api, spec at
/api-json, /health, /metrics. Reference: gateway/README.md.
`;
