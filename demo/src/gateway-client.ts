import { LedgerCursor } from './ledger-cursor';

/** An org's gateway as the demo sees it: where it listens and the API keys it was given. */
export interface GatewayEndpoint {
  mspId: string;
  baseUrl: string;
  keys: { admin: string; scientist: string; auditor: string };
  /** The gateway's process, where it runs as one of its own (the fault tests signal it). */
  pid?: number;
  /** The gateway's data directory (CSV files to register go there), when the demo started the gateway. */
  dataDir?: string;
}

export type KeyRole = keyof GatewayEndpoint['keys'];

/** The parts of the REST responses the demo reads (the full shapes are in docs/api/openapi.json). */
export interface DatasetInfo {
  id: string;
  featureColumns: string[];
  labelColumn: string;
  numRows: number;
  numTrain: number;
  numValidation: number;
  positiveRate: number;
  fileSha256: string;
}
export interface FederationInfo {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'cancelled';
  currentRound: number;
  rounds: number;
  participants: string[];
  modelSpec: { topology: string; topologyHash: string };
  initialModelHash: string;
  /** The one input scaling every participant applies, when the federation records one. */
  featureScaling?: { center: number[]; scale: number[] };
  /** How the weights travel (ADR 22): chosen by model size when the federation was created. */
  weightsPath?: 'private-data' | 'blob';
}
export interface ContributionInfo {
  mspId: string;
  numSamples: number;
  digest: string;
  accepted: boolean;
  weight: number;
}
export interface EvaluationInfo {
  mspId: string;
  numSamples: number;
  metrics: Record<string, number>;
}
export interface ModelVersionInfo {
  version: number;
  round: number;
  modelHash: string;
  parentHash: string | null;
  contributors: ContributionInfo[];
  evaluations: EvaluationInfo[];
  createdAt: string;
  txId: string;
  /** Blob path: the orgs that serve this version's bytes. */
  servedBy?: string[];
}
export interface UpdateInfo {
  round: number;
  mspId: string;
  /** Blob path: the org that serves this update's bytes (its submitter). */
  servedBy?: string;
  numSamples: number;
  digest: string;
  txId: string;
}
export interface VerificationInfo {
  modelHash: string;
  found: boolean;
  federationId?: string;
  version?: number;
  round?: number;
}
export interface AuditEntryInfo {
  txId: string;
  timestamp: string;
  actorMsp: string;
  actorId: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}
export interface HealthInfo {
  status: string;
  [key: string]: unknown;
}

/** Bounds every request so a hung gateway fails the demo instead of stalling it. */
const REQUEST_TIMEOUT_MS = 120_000;

/** A settled round as the gateway reports it (ContributionReportDto). */
export interface ContributionReportInfo {
  round: number;
  method: string;
  recorders: string[];
  contributions: Array<{
    mspId: string;
    shapley: number;
    credits: number;
    numSamples: number;
    updateNorm: number;
    cosineToAggregate: number;
  }>;
  creditsAllocated: number;
  txId: string;
}

/**
 * A thin typed client of one gateway's REST API (global `fetch`). Non-2xx answers and unreachable
 * gateways become a {@link GatewayRequestError} carrying the gateway's stable error code.
 */
export class GatewayClient {
  /** `cursor`: share one among the clients of one run, so each step sees the writes before it. */
  constructor(
    readonly endpoint: GatewayEndpoint,
    readonly cursor: LedgerCursor = new LedgerCursor(),
  ) {}

  get mspId(): string {
    return this.endpoint.mspId;
  }

  health(): Promise<HealthInfo> {
    return this.#json('GET', '/health', 'auditor');
  }
  /** The Prometheus exposition text of `/metrics`. */
  metrics(): Promise<string> {
    return this.#request('GET', '/metrics', 'auditor', {}).then((response) => response.text());
  }
  getConsortium(): Promise<unknown> {
    return this.#json('GET', '/consortium', 'admin');
  }
  initConsortium(members: Array<{ mspId: string; role: 'member' | 'auditor' }>): Promise<unknown> {
    return this.#json('POST', '/consortium/init', 'admin', { members });
  }
  /** Any JSON endpoint as `role` (e.g. ones this client has no method for); GatewayRequestError on a non-2xx answer. */
  send<T>(method: string, path: string, role: KeyRole, body?: unknown): Promise<T> {
    return this.#json(method, path, role, body);
  }
  registerCsv(body: {
    id: string;
    path: string;
    labelColumn: string;
    featureColumns?: string[];
  }): Promise<DatasetInfo> {
    return this.#json('POST', '/datasets', 'scientist', body);
  }
  registerSynthetic(body: {
    id: string;
    orgIndex: number;
    orgCount: number;
    rows: number;
    mode?: 'dirichlet' | 'dirichlet-equal-size' | 'iid';
    variant?: 'clinical' | 'multisite';
    alpha?: number;
    seed: number;
    validationFraction?: number;
  }): Promise<DatasetInfo> {
    return this.#json('POST', '/datasets/synthetic', 'scientist', body);
  }
  createFederation(body: Record<string, unknown>): Promise<FederationInfo> {
    return this.#json('POST', '/federations', 'admin', body);
  }
  acceptInvitation(federationId: string, datasetId: string): Promise<FederationInfo> {
    return this.#json('POST', `/federations/${enc(federationId)}/accept`, 'admin', { datasetId });
  }
  startFederation(federationId: string): Promise<FederationInfo> {
    return this.#json('POST', `/federations/${enc(federationId)}/start`, 'admin', {});
  }
  getFederation(federationId: string, role: KeyRole = 'scientist'): Promise<FederationInfo> {
    return this.#json('GET', `/federations/${enc(federationId)}`, role);
  }
  listModels(federationId: string, role: KeyRole = 'scientist'): Promise<ModelVersionInfo[]> {
    return this.#json('GET', `/federations/${enc(federationId)}/models`, role);
  }
  /** The consortium's validation score per version and its best round (GET …/model-selection). */
  getModelSelection(
    federationId: string,
    metric: 'accuracy' | 'loss' | 'auc' = 'accuracy',
    role: KeyRole = 'auditor',
  ): Promise<{
    best?: { version: number; value: number };
    versions: Array<{ version: number; value: number }>;
  }> {
    return this.#json(
      'GET',
      `/federations/${enc(federationId)}/model-selection?metric=${metric}`,
      role,
    );
  }
  /** Every settled round's contributions, oldest first (GET …/contributions). */
  listContributions(
    federationId: string,
    role: KeyRole = 'auditor',
  ): Promise<ContributionReportInfo[]> {
    return this.#json('GET', `/federations/${enc(federationId)}/contributions`, role);
  }
  /** Why a round is, or is not yet, settled, with this gateway's attempts (GET …/rounds/{round}/settlement). */
  settlementStatus(
    federationId: string,
    round: number,
    role: KeyRole = 'auditor',
  ): Promise<Record<string, unknown>> {
    return this.#json('GET', `/federations/${enc(federationId)}/rounds/${round}/settlement`, role);
  }
  /** Every participant's credits (GET …/rewards). */
  rewardBalances(
    federationId: string,
    role: KeyRole = 'auditor',
  ): Promise<Array<{ mspId: string; credits: number; rounds: number[] }>> {
    return this.#json('GET', `/federations/${enc(federationId)}/rewards`, role);
  }
  listUpdates(
    federationId: string,
    round: number,
    role: KeyRole = 'auditor',
  ): Promise<UpdateInfo[]> {
    return this.#json('GET', `/federations/${enc(federationId)}/rounds/${round}/updates`, role);
  }
  /** The FLW1 weights file of a version, exactly as served (its SHA-256 should be the version's modelHash). */
  downloadWeights(federationId: string, version: number): Promise<Uint8Array> {
    return this.#bytes(
      `/federations/${enc(federationId)}/models/${version}/weights.flw1`,
      'scientist',
    );
  }
  verifyModelFile(file: Uint8Array, role: KeyRole = 'auditor'): Promise<VerificationInfo> {
    return this.#request('POST', '/models/verify/file', role, {
      body: file,
      contentType: 'application/octet-stream',
    }).then((response) => response.json() as Promise<VerificationInfo>);
  }
  /** Every audit entry of a federation, following bookmarks. */
  async timeline(federationId: string, role: KeyRole = 'auditor'): Promise<AuditEntryInfo[]> {
    const entries: AuditEntryInfo[] = [];
    let bookmark = '';
    do {
      const query = `pageSize=100${bookmark ? `&bookmark=${enc(bookmark)}` : ''}`;
      const page = await this.#json<{ items: AuditEntryInfo[]; bookmark: string }>(
        'GET',
        `/audit/federations/${enc(federationId)}/timeline?${query}`,
        role,
      );
      entries.push(...page.items);
      bookmark = page.items.length > 0 ? page.bookmark : '';
    } while (bookmark !== '');
    return entries;
  }

  /** Opens the gateway's training-progress Server-Sent Events stream (caller aborts `signal` to close it). */
  async openTrainingEvents(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await fetch(`${this.endpoint.baseUrl}/training/events`, {
      headers: { 'x-api-key': this.endpoint.keys.scientist, accept: 'text/event-stream' },
      signal,
    });
    if (!response.ok || response.body === null) {
      throw await toError(response, 'GET /training/events');
    }
    return response.body;
  }

  async #json<T>(method: string, path: string, role: KeyRole, body?: unknown): Promise<T> {
    const response = await this.#request(
      method,
      path,
      role,
      body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' },
    );
    return (await response.json()) as T;
  }

  async #bytes(path: string, role: KeyRole): Promise<Uint8Array> {
    const response = await this.#request('GET', path, role, {});
    return new Uint8Array(await response.arrayBuffer());
  }

  async #request(
    method: string,
    path: string,
    role: KeyRole,
    payload: { body?: string | Uint8Array; contentType?: string },
  ): Promise<Response> {
    const headers: Record<string, string> = {
      'x-api-key': this.endpoint.keys[role],
      ...this.cursor.headers(),
    };
    if (payload.contentType) headers['content-type'] = payload.contentType;
    let response: Response;
    try {
      response = await fetch(`${this.endpoint.baseUrl}${path}`, {
        method,
        headers,
        ...(payload.body !== undefined ? { body: payload.body } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new GatewayRequestError(
        `${this.mspId} gateway ${method} ${path}`,
        0,
        'UNREACHABLE',
        error instanceof Error ? error.message : String(error),
      );
    }
    if (!response.ok) {
      throw await toError(response, `${this.mspId} gateway ${method} ${path}`);
    }
    this.cursor.observe(response);
    return response;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/** A failed gateway call: HTTP status (0 when unreachable) and the gateway's error code. */
export class GatewayRequestError extends Error {
  constructor(
    readonly request: string,
    readonly status: number,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${request} → ${status === 0 ? 'unreachable' : status} ${code}: ${reason}`);
    this.name = 'GatewayRequestError';
  }
}

async function toError(response: Response, what: string): Promise<GatewayRequestError> {
  const text = await response.text().catch(() => '');
  let code = 'INTERNAL';
  let message = text;
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not a gateway error body; keep the raw text
  }
  return new GatewayRequestError(what, response.status, code, message);
}
