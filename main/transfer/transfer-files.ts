// Files of transfers in progress (issue 15, finding 4/11): uploads assembled chunk by chunk and exports read
// back in chunks, all under the bench's data directory (<dir of the database>/transfers/), named by a random id
// so a client can only reach the transfers it started. Nothing here reads a path a client names.

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiError } from '../api/api-error.js';
import type { TransferChunk, TransferInfo } from '../api/contract-ui.js';

/** One chunk on the wire: 4 MiB of bytes (≈5.6 MB of base64, well under the WebSocket frame cap). */
export const MAX_CHUNK_BYTES = 4 << 20;
/** An upload larger than this is refused at begin (a 1 M-event CSV export is ~120 MB). */
export const MAX_UPLOAD_BYTES = 4 * 2 ** 30;

interface Upload {
  kind: 'upload';
  path: string;
  name: string;
  total: number;
  bytes: number;
  busy: boolean;
}

interface Download {
  kind: 'download';
  path: string;
  name: string;
  bytes: number;
}

export class TransferFiles {
  readonly dir: string;
  private readonly items = new Map<string, Upload | Download>();

  constructor(dbPath: string) {
    this.dir = join(dirname(dbPath), 'transfers');
  }

  private newPath(ext: string): { id: string; path: string } {
    mkdirSync(this.dir, { recursive: true });
    const id = randomBytes(12).toString('hex');
    return { id, path: join(this.dir, `${id}${ext}`) };
  }

  begin(name: string, total: number): TransferInfo {
    if (total > MAX_UPLOAD_BYTES) throw new ApiError('bad-input', `transfer.begin: total: ${total} bytes is over the ${MAX_UPLOAD_BYTES / 2 ** 30} GiB limit`, 'total');
    const { id, path } = this.newPath('.part');
    closeSync(openSync(path, 'w'));
    this.items.set(id, { kind: 'upload', path, name, total, bytes: 0, busy: false });
    return { id, bytes: 0, total };
  }

  private upload(id: string): Upload {
    const u = this.items.get(id);
    if (!u || u.kind !== 'upload') throw new ApiError('not-found', `no upload ${id} (it finished, was cancelled, or the server restarted)`, 'id');
    return u;
  }

  append(id: string, offset: number, data: string): TransferInfo {
    const u = this.upload(id);
    if (u.busy) throw new ApiError('conflict', `upload ${id} is being imported`, 'id');
    if (offset !== u.bytes) throw new ApiError('bad-input', `transfer.append: offset: expected ${u.bytes} (bytes received so far), got ${offset}`, 'offset');
    const buf = Buffer.from(data, 'base64');
    if (buf.length > MAX_CHUNK_BYTES) throw new ApiError('bad-input', `transfer.append: data: a chunk holds at most ${MAX_CHUNK_BYTES >> 20} MiB`, 'data');
    if (u.bytes + buf.length > u.total) throw new ApiError('bad-input', `transfer.append: data: more than the ${u.total} bytes announced`, 'data');
    const fd = openSync(u.path, 'a');
    try {
      writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
    u.bytes += buf.length;
    return { id, bytes: u.bytes, total: u.total };
  }

  /** The assembled file of a complete upload, marked busy (being imported) until `release`. */
  take(id: string): { path: string; name: string; bytes: number } {
    const u = this.upload(id);
    if (u.bytes !== u.total) throw new ApiError('bad-input', `transfer.finish: id: ${u.bytes} of ${u.total} bytes received`, 'id');
    u.busy = true;
    return { path: u.path, name: u.name, bytes: u.bytes };
  }

  /** Forget a transfer and delete its file. */
  release(id: string): boolean {
    const t = this.items.get(id);
    if (!t) return false;
    this.items.delete(id);
    rmSync(t.path, { force: true });
    return true;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** A new file for an export; register it with `offer` once written. */
  exportPath(ext: string): { id: string; path: string } {
    return this.newPath(ext);
  }

  offer(id: string, path: string, name: string): TransferInfo & { name: string } {
    const bytes = existsSync(path) ? statSync(path).size : 0;
    this.items.set(id, { kind: 'download', path, name, bytes });
    return { id, name, bytes, total: bytes };
  }

  read(id: string, offset: number, length: number): TransferChunk {
    const d = this.items.get(id);
    if (!d || d.kind !== 'download') throw new ApiError('not-found', `no export ${id} (already read, or the server restarted)`, 'id');
    const n = Math.max(0, Math.min(length, MAX_CHUNK_BYTES, d.bytes - offset));
    const buf = Buffer.alloc(n);
    const fd = openSync(d.path, 'r');
    try {
      readSync(fd, buf, 0, n, offset);
    } finally {
      closeSync(fd);
    }
    const done = offset + n >= d.bytes;
    if (done) this.release(id);
    return { data: buf.toString('base64'), offset, done };
  }

  /** Remove every file of this server's transfers (on close). */
  clear(): void {
    for (const id of [...this.items.keys()]) this.release(id);
  }
}
