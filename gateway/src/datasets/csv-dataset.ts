import { FedLedgerError } from '@fedledger/core';
import type { LabeledRow, LabeledTable } from './labeled-rows';

/**
 * CSV reading for datasets: RFC 4180 fields (quotes, doubled quotes, separators and line breaks inside
 * quotes; CRLF or LF), a required header row, numeric finite features and a 0/1 label. Every error
 * is INVALID_ARGUMENT and names the file, line and column so a data steward can fix the file.
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
    const char = text[i] as string;
    if (atFieldStart && char === '"') {
      const quoteLine = line;
      fieldWasQuoted = true;
      i++;
      for (;;) {
        if (i >= text.length) {
          throw invalid(fileName, quoteLine, undefined, 'a quoted field is never closed');
        }
        const inner = text[i] as string;
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
      const after = text[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        throw invalid(fileName, line, undefined, `unexpected ${JSON.stringify(after)} after a closing quote`);
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
        throw invalid(fileName, line, undefined, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
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

/**
 * Parses a dataset CSV: checks the header has the label and every feature column, then that every
 * feature is a finite decimal number and every label 0 or 1.
 */
export function parseCsvDataset(text: string, fileName: string, columns: CsvColumns): LabeledTable {
  const records = parseCsv(text, fileName);
  const header = records[0];
  if (header === undefined) {
    throw new FedLedgerError('INVALID_ARGUMENT', `${fileName} is empty; a header row is required`);
  }
  const names = header.fields.map((name) => name.trim());
  const positions = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === '') {
      throw invalid(fileName, header.line, undefined, `header column ${index + 1} has no name`);
    }
    if (positions.has(name)) {
      throw invalid(fileName, header.line, name, 'the header names this column twice');
    }
    positions.set(name, index);
  });
  const featureColumns = columns.featureColumns ?? names.filter((name) => name !== columns.labelColumn);
  checkColumnChoice(fileName, columns.labelColumn, featureColumns, positions);
  const labelIndex = positions.get(columns.labelColumn) as number;
  const featureIndexes = featureColumns.map((name) => positions.get(name) as number);

  const rows: LabeledRow[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== names.length) {
      throw invalid(fileName, record.line, undefined, `${record.fields.length} fields but the header has ${names.length}`);
    }
    const features = featureIndexes.map((index, k) =>
      parseNumber(record.fields[index] as string, fileName, record.line, featureColumns[k] as string),
    );
    const label = parseNumber(record.fields[labelIndex] as string, fileName, record.line, columns.labelColumn);
    if (label !== 0 && label !== 1) {
      throw invalid(fileName, record.line, columns.labelColumn, `label ${JSON.stringify(record.fields[labelIndex])} must be 0 or 1`);
    }
    rows.push({ features, label });
  }
  if (rows.length === 0) {
    throw new FedLedgerError('INVALID_ARGUMENT', `${fileName} has a header but no data rows`);
  }
  return { featureColumns: [...featureColumns], labelColumn: columns.labelColumn, rows };
}

/** Writes a table as CSV (header then rows, LF line ends); column names are quoted only when needed. */
export function formatCsv(table: LabeledTable): string {
  const header = [...table.featureColumns, table.labelColumn].map(quoteIfNeeded).join(',');
  const lines = table.rows.map((row) => [...row.features, row.label].map(String).join(','));
  return [header, ...lines].join('\n') + '\n';
}

function checkColumnChoice(fileName: string, labelColumn: string, featureColumns: string[], positions: Map<string, number>): void {
  if (!positions.has(labelColumn)) {
    throw new FedLedgerError('INVALID_ARGUMENT', `${fileName} has no label column "${labelColumn}" (columns: ${[...positions.keys()].join(', ')})`);
  }
  if (featureColumns.length === 0) {
    throw new FedLedgerError('INVALID_ARGUMENT', `${fileName}: at least one feature column is required`);
  }
  const seen = new Set<string>();
  for (const name of featureColumns) {
    if (name === labelColumn) {
      throw new FedLedgerError('INVALID_ARGUMENT', `${fileName}: the label column "${labelColumn}" cannot also be a feature`);
    }
    if (seen.has(name)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `${fileName}: feature column "${name}" is listed twice`);
    }
    seen.add(name);
    if (!positions.has(name)) {
      throw new FedLedgerError('INVALID_ARGUMENT', `${fileName} has no feature column "${name}" (columns: ${[...positions.keys()].join(', ')})`);
    }
  }
}

/** Decimal numbers only: `Number()` alone would also accept "", " ", "0x1f" and "Infinity". */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(raw: string, fileName: string, line: number, column: string): number {
  const text = raw.trim();
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value)) {
    throw invalid(fileName, line, column, `${JSON.stringify(raw)} is not a finite number`);
  }
  return value;
}

function quoteIfNeeded(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

function invalid(fileName: string, line: number, column: string | undefined, what: string): FedLedgerError {
  const where = column === undefined ? `${fileName} line ${line}` : `${fileName} line ${line}, column "${column}"`;
  return new FedLedgerError('INVALID_ARGUMENT', `${where}: ${what}`, { file: fileName, line, ...(column !== undefined ? { column } : {}) });
}
