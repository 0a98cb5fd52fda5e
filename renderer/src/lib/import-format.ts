// Which trace.import format a chosen file is, from its name (QEMU trace logs are usually *.log / *.txt).
import type { TraceImportFormat } from '../../../main/api/contract.js';

export function importFormatFor(fileName: string): TraceImportFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  if (ext === 'log' || ext === 'txt' || ext === 'trace') return 'qemu';
  return null;
}
