import { FedLedgerError } from '@fedledger/core';
import { ProblemCollector } from './column-problems';
import type { LabeledRow, LabeledTable } from './labeled-rows';

/**
 * CSV reading for datasets: RFC 4180 fields (quotes, doubled quotes, separators and line breaks inside
 * quotes; CRLF or LF), a required header row, numeric finite features and a 0/1 label. Every error
 * is INVALID_ARGUMENT and names the file, lines and columns so a data steward can fix the file; a
 * leading byte-order mark, CRLF line ends and a trailing empty line are accepted.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

export interface CsvColumns {
  labelColumn: string;
  /** Model input columns in order; defaults to every column except the label. */
  featureColumns?: string[] | undefined;
}

/** Splits CSV text into records (blank lines skipped); `fileName` only labels errors. */
export function parseCsv(text: string, fileName: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let atFieldStart = true;
  let fieldWasQuoted = false;

  const endRecord = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !fieldWasQuoted;
    if (!blank) {
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = '';
    atFieldStart = true;
    fieldWasQuoted = false;
  };

  while (i < text.length) {
    const char = text[i];
    if (atFieldStart && char === '"') {
      const quoteLine = line;
      fieldWasQuoted = true;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw invalid(fileName, quoteLine, undefined, 'a quoted field is never closed');
        }
        const inner = text[i];
        if (inner === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (inner === '\n') {
          line++;
        }
        field += inner;
        i++;
      }
      atFieldStart = false;
      const after = text.at(i);
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        throw invalid(
          fileName,
          line,
          undefined,
          `unexpected ${JSON.stringify(after)} after a closing quote`,
        );
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      fieldWasQuoted = false;
      i++;
    } else if (char === '\n' || char === '\r') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      if (char === '"') {
        throw invalid(
          fileName,
          line,
          undefined,
          'a quote inside an unquoted field (quote the whole field and double inner quotes)',
        );
      }
      field += char;
      atFieldStart = false;
      i++;
    }
  }
  if (!atFieldStart || fields.length > 0 || fieldWasQuoted) {
    endRecord();
  }
  return records;
}

/** A CSV file as text cells under its header: the form schema federations read (values are typed later). */
export interface RawTable {
  columns: string[];
  /** Data records with the header's width, each with the 1-based line it starts on. */
  records: CsvRecord[];
}

/**
 * Parses a CSV into a header and text records. Header problems (empty or repeated names) and rows
 * of the wrong width are all collected and reported together (INVALID_ARGUMENT, grouped, with counts
 * and the first line numbers); cells are not interpreted here.
 */
export function parseRawTable(text: string, fileName: string): RawTable {
  const records = parseCsv(text, fileName);
  const header = records.at(0);
  if (header === undefined) {
    throw new FedLedgerError('INVALID_ARGUMENT', `${fileName} is empty; a header row is required`);
  }
  const problems = new ProblemCollector();
  const names = header.fields.map((name) => name.trim());
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === '') problems.add(null, `header column ${index + 1} has no name`, header.line);
    else if (seen.has(name))
      problems.add(name, 'the header names this column more than once', header.line);
    seen.add(name);
  });
  problems.throwIfAny(fileName, { file: fileName });
  const data = records.slice(1);
  for (const record of data) {
    if (record.fields.length !== names.length) {
      problems.add(
        null,
        `rows whose field count differs from the header's ${names.length}`,
        record.line,
        String(record.fields.length),
      );
    }
  }
  problems.throwIfAny(fileName, { file: fileName });
  if (data.length === 0) {
    throw new FedLedgerError('INVALID_ARGUMENT', `${fileName} has a header but no data rows`);
  }
  return { columns: names, records: data };
}

/**
 * Parses a dataset CSV: checks the header has the label and every feature column, then that every
 * feature is a finite decimal number and every label 0 or 1. Every problem of the file is reported
 * at once, grouped per column with counts and the first line numbers (see {@link ProblemCollector}).
 */
export function parseCsvDataset(text: string, fileName: string, columns: CsvColumns): LabeledTable {
  const table = parseRawTable(text, fileName);
  const positions = new Map<string, number>(table.columns.map((name, index) => [name, index]));
  const featureColumns =
    columns.featureColumns ?? table.columns.filter((name) => name !== columns.labelColumn);
  checkColumnChoice(fileName, columns.labelColumn, featureColumns, positions);
  const labelIndex = positions.get(columns.labelColumn) as number;
  const featureIndexes = featureColumns.map((name) => positions.get(name) as number);

  const problems = new ProblemCollector();
  const rows: LabeledRow[] = [];
  for (const record of table.records) {
    const features = featureIndexes.map((index, k) => {
      const raw = record.fields[index];
      const value = parseDecimal(raw);
      if (value === undefined)
        problems.add(
          featureColumns[k],
          raw.trim() === '' ? 'empty cells (not a number)' : 'cells that are not finite numbers',
          record.line,
          raw,
        );
      return value ?? 0;
    });
    const rawLabel = record.fields[labelIndex];
    const label = parseDecimal(rawLabel);
    if (label !== 0 && label !== 1)
      problems.add(columns.labelColumn, 'labels that are not 0 or 1', record.line, rawLabel);
    rows.push({ features, label: label ?? 0 });
  }
  problems.throwIfAny(fileName, { file: fileName });
  return { featureColumns: [...featureColumns], labelColumn: columns.labelColumn, rows };
}

/** Writes a table as CSV (header then rows, LF line ends); column names are quoted only when needed. */
export function formatCsv(table: LabeledTable): string {
  const header = [...table.featureColumns, table.labelColumn].map(quoteIfNeeded).join(',');
  const lines = table.rows.map((row) => [...row.features, row.label].map(String).join(','));
  return [header, ...lines].join('\n') + '\n';
}

function checkColumnChoice(
  fileName: string,
  labelColumn: string,
  featureColumns: string[],
  positions: Map<string, number>,
): void {
  if (!positions.has(labelColumn)) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${fileName} has no label column "${labelColumn}" (columns: ${[...positions.keys()].join(', ')})`,
    );
  }
  if (featureColumns.length === 0) {
    throw new FedLedgerError(
      'INVALID_ARGUMENT',
      `${fileName}: at least one feature column is required`,
    );
  }
  const seen = new Set<string>();
  for (const name of featureColumns) {
    if (name === labelColumn) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${fileName}: the label column "${labelColumn}" cannot also be a feature`,
      );
    }
    if (seen.has(name)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${fileName}: feature column "${name}" is listed twice`,
      );
    }
    seen.add(name);
    if (!positions.has(name)) {
      throw new FedLedgerError(
        'INVALID_ARGUMENT',
        `${fileName} has no feature column "${name}" (columns: ${[...positions.keys()].join(', ')})`,
      );
    }
  }
}

/** Decimal numbers only: `Number()` alone would also accept "", " ", "0x1f" and "Infinity". */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell as a finite decimal number, or undefined. */
export function parseDecimal(raw: string): number | undefined {
  const text = raw.trim();
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

function quoteIfNeeded(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

function invalid(
  fileName: string,
  line: number,
  column: string | undefined,
  what: string,
): FedLedgerError {
  const where =
    column === undefined
      ? `${fileName} line ${line}`
      : `${fileName} line ${line}, column "${column}"`;
  return new FedLedgerError('INVALID_ARGUMENT', `${where}: ${what}`, {
    file: fileName,
    line,
    ...(column !== undefined ? { column } : {}),
  });
}
