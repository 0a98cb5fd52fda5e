// A disk that fills up, for the disk-full tests: a small tmpfs when this process may mount one (root on Linux),
// else a file-size limit (RLIMIT_FSIZE via prlimit) on the child processes the test starts — Node ignores
// SIGXFSZ, so a write past the limit fails with EFBIG as it would with ENOSPC. `grow` then makes room again
// (remount bigger / lift the child's limit), to check that nothing recorded was lost.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  kind: 'tmpfs' | 'rlimit';
  /** The command line to run a child under this disk's limit. */
  wrap(argv: string[]): string[];
  /** Make room: a bigger tmpfs, or no file-size limit for `pid`. */
  grow(pid?: number): void;
  dispose(): void;
}

const ok = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** A disk of about `bytes`, or why none can be made here (the test then skips, printing it). */
export function smallDisk(bytes: number): SmallDisk | { skip: string } {
  if (process.platform !== 'linux') return { skip: 'needs Linux (tmpfs or prlimit)' };
  const dir = mkdtempSync(join(tmpdir(), 'cxl-small-disk-'));
  if (process.getuid?.() === 0 && !process.env.CXL_BENCH_NO_TMPFS && ok('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir])) {
    return {
      dir,
      kind: 'tmpfs',
      wrap: (argv) => argv,
      grow: () => {
        if (!ok('mount', ['-o', 'remount,size=256m', dir])) throw new Error(`could not remount ${dir} bigger`);
      },
      dispose() {
        ok('umount', ['-l', dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (ok('prlimit', ['--version'])) {
    return {
      dir,
      kind: 'rlimit',
      // Soft limit only: raising it again (grow) needs no privilege, the hard one would.
      wrap: (argv) => ['prlimit', `--fsize=${bytes}:unlimited`, '--', ...argv],
      grow: (pid) => {
        if (pid !== undefined && !ok('prlimit', ['--pid', String(pid), '--fsize=unlimited:unlimited'])) throw new Error(`prlimit could not lift the limit of ${pid}`);
      },
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  return { skip: 'cannot mount a tmpfs (not root, or no CAP_SYS_ADMIN) and prlimit (util-linux) is missing' };
}
