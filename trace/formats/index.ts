// Trace import/export formats: CSV, JSON lines, VCD, and QEMU trace logs.
export { CSV_HEADER, exportCsv, importCsv } from './csv.js';
export { exportJsonl, importJsonl } from './jsonl.js';
export { exportVcd } from './vcd.js';
export { importQemuLog, type QemuImportMap, type QemuWindow } from './qemu-log.js';
export { TraceImportError } from './import-error.js';
export { ROW_COLUMNS, type ExportOptions } from './event-row.js';
