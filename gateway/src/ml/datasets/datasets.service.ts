import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { FedLedgerError } from '@fedledger/core';
import { formatCsv, parseCsvDataset, parseRawTable } from './csv-dataset';
import { resolveInsideDataDir } from './data-path';
import type { DatasetFormat, DatasetRecord } from './dataset-record';
import { describeRawDataset, splitRawFiles } from './raw-dataset';
import type { RawDataset } from './raw-split';
import { readRegistry, writeRegistry } from './dataset-registry-file';
import {
  DATASETS_OPTIONS,
  DEFAULT_DATASET_CSV_BYTES,
  type DatasetsOptions,
} from './datasets-options';
import { splitAcrossOrgs, type SplitMode } from './org-split';
import { prepareDataset, type PreparedDataset } from './prepared-dataset';
import { generateSyntheticClinical } from './synthetic-clinical';
import { MULTISITE_LABEL, generateMultisiteCsv } from './synthetic-multisite';

export interface RegisterCsvDataset {
  id: string;
  /** CSV file path relative to (and inside) the data directory. */
  path: string;
  labelColumn: string;
  /** Model input columns in order; defaults to every column except the label. */
  featureColumns?: string[];
  /** Defaults to 0.2. */
  validationFraction?: number;
  /** Seed of the train/validation split; defaults to 0. */
  seed?: number;
  /** `numeric` (default) or `raw` (cells read later under a federation's data schema). */
  format?: DatasetFormat;
  /** Raw only: column marking the validation/test rows (see {@link TEST_SPLIT_VALUES}). */
  splitColumn?: string;
  /** Raw only: a separate CSV of validation/test rows inside the data directory. */
  testPath?: string;
}

export interface RegisterSyntheticDataset {
  id: string;
  /** This org's share (0-based) of a population split across `orgCount` orgs. */
  orgIndex: number;
  orgCount: number;
  /** Size of the whole population before the split (every org generates the same population). */
  rows: number;
  mode: SplitMode;
  /**
   * `clinical` (default): numeric features, split by `mode`. `multisite`: raw site files with their own
   * column order, missing tokens, categories, an unmeasured column, covariate and label shift
   * (`mode` and `alpha` are not used; read them under {@link MULTISITE_SCHEMA}).
   */
  variant?: 'clinical' | 'multisite';
  /** Dirichlet concentration for both Dirichlet modes. */
  alpha?: number;
  /** Seeds the population and the split: orgs of one consortium must use the same seed. */
  seed: number;
  /** Defaults to 0.2. */
  validationFraction?: number;
}

/** Directory under the data directory where synthetic datasets are written. */
export const SYNTHETIC_SUBDIR = 'synthetic';

const DEFAULT_VALIDATION_FRACTION = 0.2;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The org's registry of local datasets: CSV files inside the data directory, or synthetic clinical
 * data generated into it. The registry (metadata only) is persisted in the state directory so a
 * restart keeps it; prepared data is cached in memory. Errors are `FedLedgerError`s: INVALID_ARGUMENT,
 * FORBIDDEN (path outside the data directory), NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION.
 */
@Injectable()
export class DatasetsService {
  readonly #options: Required<DatasetsOptions>;
  readonly #records = new Map<string, DatasetRecord>();
  readonly #cache = new Map<string, Promise<PreparedDataset>>();
  readonly #rawCache = new Map<string, Promise<RawDataset>>();
  /** Size and modification time of a raw dataset's files when its cache entry was made. */
  readonly #rawSignatures = new Map<string, string>();
  /** Registrations run one at a time so id checks and registry writes never interleave. */
  #registrations: Promise<unknown> = Promise.resolve();

  constructor(@Inject(DATASETS_OPTIONS) options: DatasetsOptions) {
    this.#options = {
      dataDir: path.resolve(options.dataDir),
      stateDir: path.resolve(options.stateDir),
      maxCsvBytes: options.maxCsvBytes ?? DEFAULT_DATASET_CSV_BYTES,
    };
    for (const record of readRegistry(this.#options.stateDir)) {
      this.#records.set(record.id, record);
    }
  }

  /** Registers a CSV file after parsing and validating all of it. */
  register(request: RegisterCsvDataset): Promise<DatasetRecord> {
    return this.#serialize(async () => {
      this.#checkNewId(request.id);
      return this.#registerCsv(request);
    });
  }

  /**
   * Registers a new file (or the same file, changed) under an existing dataset id, validated like a
   * new registration; the caller checks that no running federation uses the dataset. NOT_FOUND when unknown.
   */
  replace(request: RegisterCsvDataset): Promise<DatasetRecord> {
    return this.#serialize(async () => {
      this.get(request.id);
      return this.#registerCsv(request);
    });
  }

  /** Forgets a dataset (its CSV stays; a generated synthetic file is removed). NOT_FOUND when unknown. */
  delete(id: string): Promise<DatasetRecord> {
    return this.#serialize(async () => {
      const record = this.get(id);
      await writeRegistry(
        this.#options.stateDir,
        [...this.#records.values()].filter((other) => other.id !== id),
      );
      this.#records.delete(id);
      this.#cache.delete(id);
      this.#rawCache.delete(id);
      if (record.source === 'synthetic')
        await fs.rm(path.join(this.#options.dataDir, record.path), { force: true });
      return record;
    });
  }

  async #registerCsv(request: RegisterCsvDataset): Promise<DatasetRecord> {
    const { bytes, relative } = await this.#readCsv(request.path);
    const settings = {
      labelColumn: request.labelColumn,
      featureColumns: request.featureColumns,
      validationFraction: request.validationFraction ?? DEFAULT_VALIDATION_FRACTION,
      seed: request.seed ?? 0,
    };
    if ((request.format ?? 'numeric') === 'numeric') {
      if (request.splitColumn !== undefined || request.testPath !== undefined) {
        throw new FedLedgerError(
          'INVALID_ARGUMENT',
          'splitColumn and testPath are for format "raw" datasets (numeric datasets split at random with validationFraction and seed)',
        );
      }
      const record = this.#describe(request.id, 'csv', relative, bytes, settings);
      return this.#save(record.record, record.prepared);
    }
    const test = request.testPath === undefined ? undefined : await this.#readCsv(request.testPath);
    const record = describeRawDataset(request.id, relative, bytes, test, {
      ...settings,
      splitColumn: request.splitColumn,
    });
    return this.#save(record.record, undefined, record.raw);
  }

  /** Generates this org's share of the synthetic clinical population into `<dataDir>/synthetic/<id>.csv` and registers it. */
  registerSynthetic(request: RegisterSyntheticDataset): Promise<DatasetRecord> {
    return this.#serialize(async () => {
      this.#checkNewId(request.id);
      if (!Number.isInteger(request.orgCount) || request.orgCount < 1) {
        throw new FedLedgerError(
          'INVALID_ARGUMENT',
          `orgCount must be a positive integer, got ${request.orgCount}`,
        );
      }
      if (
        !Number.isInteger(request.orgIndex) ||
        request.orgIndex < 0 ||
        request.orgIndex >= request.orgCount
      ) {
        throw new FedLedgerError(
          'INVALID_ARGUMENT',
          `orgIndex must be an integer in [0, ${request.orgCount}), got ${request.orgIndex}`,
        );
      }
      if (request.variant === 'multisite') return this.#registerMultisite(request);
      const population = generateSyntheticClinical({ rows: request.rows, seed: request.seed });
      const shares = splitAcrossOrgs(population.rows, {
        orgs: request.orgCount,
        mode: request.mode,
        ...(request.alpha !== undefined ? { alpha: request.alpha } : {}),
        seed: request.seed,
        minRowsPerOrg: 2,
      });
      const share = { ...population, rows: shares[request.orgIndex] };
      const bytes = Buffer.from(formatCsv(share), 'utf8');
      const relative = `${SYNTHETIC_SUBDIR}/${request.id}.csv`;
      const { record, prepared } = this.#describe(request.id, 'synthetic', relative, bytes, {
        labelColumn: population.labelColumn,
        featureColumns: population.featureColumns,
        validationFraction: request.validationFraction ?? DEFAULT_VALIDATION_FRACTION,
        seed: request.seed,
      });
      await this.#writeSynthetic(request.id, relative, bytes);
      const synthetic: NonNullable<DatasetRecord['synthetic']> = {
        orgIndex: request.orgIndex,
        orgCount: request.orgCount,
        rows: request.rows,
        mode: request.mode,
        ...(request.alpha !== undefined ? { alpha: request.alpha } : {}),
        seed: request.seed,
      };
      return this.#save({ ...record, synthetic }, prepared);
    });
  }

  /** The `multisite` variant: this site's raw file (see synthetic-multisite.ts), registered as a raw dataset. */
  async #registerMultisite(request: RegisterSyntheticDataset): Promise<DatasetRecord> {
    const bytes = Buffer.from(
      generateMultisiteCsv(
        { rows: request.rows, sites: request.orgCount, seed: request.seed },
        request.orgIndex,
      ),
      'utf8',
    );
    const relative = `${SYNTHETIC_SUBDIR}/${request.id}.csv`;
    const { record, raw } = describeRawDataset(request.id, relative, bytes, undefined, {
      labelColumn: MULTISITE_LABEL,
      validationFraction: request.validationFraction ?? DEFAULT_VALIDATION_FRACTION,
      seed: request.seed,
    });
    await this.#writeSynthetic(request.id, relative, bytes);
    const synthetic: NonNullable<DatasetRecord['synthetic']> = {
      variant: 'multisite',
      orgIndex: request.orgIndex,
      orgCount: request.orgCount,
      rows: request.rows,
      seed: request.seed,
    };
    return this.#save({ ...record, source: 'synthetic', synthetic }, undefined, raw);
  }

  async #writeSynthetic(id: string, relative: string, bytes: Buffer): Promise<void> {
    const directory = path.join(this.#options.dataDir, SYNTHETIC_SUBDIR);
    await fs.mkdir(directory, { recursive: true });
    try {
      await fs.writeFile(path.join(directory, `${id}.csv`), bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new FedLedgerError(
          'ALREADY_EXISTS',
          `the data directory already has ${relative}; remove it or pick another id`,
        );
      }
      throw error;
    }
  }

  /** The directory CSV files must be in (absolute), for /health and error messages. */
  get dataDir(): string {
    return this.#options.dataDir;
  }

  /** Reads a CSV inside the data directory; PAYLOAD_TOO_LARGE from its size alone, before reading it. */
  async #readCsv(userPath: string): Promise<{ bytes: Buffer; relative: string }> {
    const file = await resolveInsideDataDir(this.#options.dataDir, userPath);
    if (file.size > this.#options.maxCsvBytes) {
      throw new FedLedgerError(
        'PAYLOAD_TOO_LARGE',
        `${file.relative} has ${file.size} bytes; datasets are limited to ${this.#options.maxCsvBytes} bytes (FEDLEDGER_MAX_CSV_SIZE); split the file or raise the limit`,
        { size: file.size, limit: this.#options.maxCsvBytes },
      );
    }
    return { bytes: await fs.readFile(file.absolute), relative: file.relative };
  }

  /** Every registered dataset, sorted by id. */
  list(): DatasetRecord[] {
    return [...this.#records.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** One dataset's record; NOT_FOUND when unknown. */
  get(id: string): DatasetRecord {
    const record = this.#records.get(id);
    if (record === undefined) {
      throw new FedLedgerError('NOT_FOUND', `no dataset "${id}"`);
    }
    return record;
  }

  /**
   * The dataset split into train and validation, standardised with the training statistics, with the
   * unscaled features kept so a federation's recorded scaling can replace them (cached).
   * NOT_FOUND when unknown; FAILED_PRECONDITION when the file changed or vanished since registration.
   */
  async load(id: string): Promise<PreparedDataset> {
    const record = this.get(id);
    let prepared = this.#cache.get(id);
    if (prepared === undefined) {
      prepared = this.#readPrepared(record);
      this.#cache.set(id, prepared);
      prepared.catch(() => this.#cache.delete(id));
    }
    return prepared;
  }

  async #readPrepared(record: DatasetRecord): Promise<PreparedDataset> {
    if (record.format === 'raw') {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `dataset "${record.id}" is a raw dataset; only a federation with a data schema can read it`,
      );
    }
    const bytes = await this.#readRegistered(record, record.path, record.fileSha256);
    return this.#describe(record.id, record.source, record.path, bytes, record).prepared;
  }

  #describe(
    id: string,
    source: DatasetRecord['source'],
    relativePath: string,
    bytes: Buffer,
    settings: {
      labelColumn: string;
      featureColumns?: string[] | undefined;
      validationFraction: number;
      seed: number;
    },
  ): { record: DatasetRecord; prepared: PreparedDataset } {
    const table = parseCsvDataset(bytes.toString('utf8'), relativePath, settings);
    const prepared = prepareDataset(table, {
      validationFraction: settings.validationFraction,
      seed: settings.seed,
    });
    const positives = table.rows.reduce((count, row) => count + row.label, 0);
    const record: DatasetRecord = {
      id,
      source,
      path: relativePath,
      labelColumn: table.labelColumn,
      featureColumns: table.featureColumns,
      validationFraction: settings.validationFraction,
      seed: settings.seed,
      numRows: table.rows.length,
      numTrain: prepared.train.labels.length,
      numValidation: prepared.validation.labels.length,
      positiveRate: positives / table.rows.length,
      fileSha256: sha256(bytes),
      registeredAt: new Date().toISOString(),
    };
    return { record, prepared };
  }

  async #save(
    record: DatasetRecord,
    prepared: PreparedDataset | undefined,
    raw?: RawDataset,
  ): Promise<DatasetRecord> {
    await writeRegistry(this.#options.stateDir, [
      ...[...this.#records.values()].filter((other) => other.id !== record.id),
      record,
    ]);
    this.#records.set(record.id, record);
    this.#cache.delete(record.id);
    this.#rawCache.delete(record.id);
    if (prepared !== undefined) this.#cache.set(record.id, Promise.resolve(prepared));
    if (raw !== undefined) this.#rawCache.set(record.id, Promise.resolve(raw));
    return record;
  }

  /**
   * The dataset's rows as text cells, split into train and validation (test) rows (cached): the form
   * schema federations read. Any registered dataset can be read this way. NOT_FOUND when unknown;
   * FAILED_PRECONDITION when a file changed or vanished since registration.
   */
  async loadRaw(id: string): Promise<RawDataset> {
    const record = this.get(id);
    let raw = this.#rawCache.get(id);
    // A file rewritten since it was cached must fail here (as at a restart), not train on stale rows.
    const signature = await this.#fileSignature(record);
    if (raw !== undefined && this.#rawSignatures.get(id) !== signature) raw = undefined;
    this.#rawSignatures.set(id, signature);
    if (raw === undefined) {
      raw = (async () => {
        const bytes = await this.#readRegistered(record, record.path, record.fileSha256);
        const test =
          record.testPath === undefined
            ? undefined
            : {
                bytes: await this.#readRegistered(
                  record,
                  record.testPath,
                  record.testSha256 as string,
                ),
                relative: record.testPath,
              };
        return splitRawFiles(
          parseRawTable(bytes.toString('utf8'), record.path),
          record.path,
          test,
          {
            validationFraction: record.validationFraction,
            seed: record.seed,
            splitColumn: record.splitColumn,
          },
        );
      })();
      this.#rawCache.set(id, raw);
      raw.catch(() => this.#rawCache.delete(id));
    }
    return raw;
  }

  async #fileSignature(record: DatasetRecord): Promise<string> {
    const parts: string[] = [];
    for (const relative of [record.path, record.testPath]) {
      if (relative === undefined) continue;
      const stat = await fs.stat(path.join(this.#options.dataDir, relative)).catch(() => undefined);
      parts.push(stat === undefined ? 'missing' : `${stat.size}:${stat.mtimeMs}`);
    }
    return parts.join('|');
  }

  async #readRegistered(
    record: DatasetRecord,
    relativePath: string,
    expectedSha256: string,
  ): Promise<Buffer> {
    let bytes: Buffer;
    try {
      const file = await resolveInsideDataDir(this.#options.dataDir, relativePath);
      bytes = await fs.readFile(file.absolute);
    } catch (error) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `dataset "${record.id}" cannot be read from ${relativePath}: ${(error as Error).message}`,
      );
    }
    if (sha256(bytes) !== expectedSha256) {
      throw new FedLedgerError(
        'FAILED_PRECONDITION',
        `dataset "${record.id}": ${relativePath} changed since it was registered; replace the dataset (PUT /datasets/${record.id}) to use the new file`,
      );
    }
    return bytes;
  }

  #checkNewId(id: string): void {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `dataset id ${JSON.stringify(id)} must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
    }
    if (this.#records.has(id)) {
      throw new FedLedgerError('ALREADY_EXISTS', `dataset "${id}" is already registered`);
    }
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#registrations.then(task);
    this.#registrations = result.catch(() => undefined);
    return result;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
