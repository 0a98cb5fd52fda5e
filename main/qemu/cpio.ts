// A cpio archive in the "newc" format (what the Linux kernel unpacks as an initramfs;
// Documentation/driver-api/early-userspace/buffer-format.rst): per entry a 110-byte ASCII header of "070701"
// and thirteen 8-digit hex fields, the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes;
// the archive ends with an entry named "TRAILER!!!".

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

const pad4 = (n: number): number => (4 - (n % 4)) % 4;
const field = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');

function header(ino: number, mode: number, nlink: number, size: number, nameSize: number): string {
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  return '070701' + [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, nameSize, 0].map(field).join('');
}

/** The archive bytes; paths are relative ("bin/sh"), parents must be listed before their children. */
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    total += b.length;
  };
  const entry = (ino: number, mode: number, nlink: number, name: string, data: Uint8Array) => {
    const nameBytes = enc.encode(name);
    const head = enc.encode(header(ino, mode, nlink, data.length, nameBytes.length + 1));
    push(head);
    push(nameBytes);
    push(new Uint8Array(1 + pad4(head.length + nameBytes.length + 1)));
    push(data);
    push(new Uint8Array(pad4(data.length)));
  };
  entries.forEach((e, i) => {
    const name = e.path.replace(/^\/+/, '');
    if (e.kind === 'dir') entry(i + 1, S_IFDIR | (e.mode ?? 0o755), 2, name, new Uint8Array(0));
    else if (e.kind === 'file') entry(i + 1, S_IFREG | (e.mode ?? 0o644), 1, name, e.data);
    else entry(i + 1, S_IFLNK | 0o777, 1, name, enc.encode(e.target));
  });
  entry(0, 0, 1, 'TRAILER!!!', new Uint8Array(0));
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
