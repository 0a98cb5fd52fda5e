// The browser's side of transfers (issue 15, findings 4 and 11): a file uploaded in chunks (read with the
// browser's own FileReader, so the page never holds the file as one string nor stalls encoding it), and an
// export read back in chunks and saved as a download under its own name. Both can be cancelled.
import type { BenchApi, TransferInfo } from '../../../main/api/contract.js';

/** Bytes per request: 2 MiB of file ≈ 2.7 MB of base64 per WebSocket message. */
export const CHUNK_BYTES = 2 << 20;

export interface Progress {
  done: number;
  total: number;
}

/** Base64 of a slice of a file (without the data: URL prefix), via FileReader (native, off the main thread's JS). */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('the file could not be read'));
    r.readAsDataURL(blob);
  });
}

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** Upload `file` in chunks; returns the transfer id for transfer.finish. A cancel drops what was sent. */
export async function uploadFile(api: BenchApi, file: Blob & { name?: string }, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<TransferInfo> {
  const t = await api.call('transfer.begin', { name: file.name || 'upload', total: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
      if (signal?.aborted) throw new Cancelled();
      const data = await base64Of(file.slice(offset, offset + CHUNK_BYTES));
      await api.call('transfer.append', { id: t.id, offset, data });
      onProgress({ done: Math.min(file.size, offset + CHUNK_BYTES), total: file.size });
    }
    if (signal?.aborted) throw new Cancelled();
    return t;
  } catch (e) {
    void api.call('transfer.cancel', { id: t.id }).catch(() => {});
    throw e;
  }
}

/** Bytes of a base64 string. */
function bytesOf(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Read an export (transfer.export's answer) in chunks into a Blob. */
export async function readExport(api: BenchApi, x: TransferInfo & { name: string }, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0; ; ) {
    if (signal?.aborted) throw new Cancelled();
    const c = await api.call('transfer.read', { id: x.id, offset, length: CHUNK_BYTES });
    const b = bytesOf(c.data);
    parts.push(b);
    offset += b.length;
    onProgress({ done: offset, total: x.bytes });
    if (c.done) break;
  }
  return new Blob(parts, { type: 'application/octet-stream' });
}

/** Hand a Blob to the browser as a download named `name` (the browser asks where, as its settings say). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
