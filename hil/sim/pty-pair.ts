// A linked pair of pseudo-terminals from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): what one end
// writes the other reads, and `serialport` treats each end as a real port. socat prints
// "... N PTY is /dev/pts/7" for each end on stderr.
// socat runs under a small sh that holds a pipe from this process: when this process dies in any way —
// SIGKILL included, which no handler sees — the pipe reaches EOF and the shell takes socat with it, so a
// killed simulator never leaves a socat behind (issue 16).

import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  a: string;
  b: string;
  proc: ChildProcess;
  /** Kill socat: both ends vanish, as when a USB serial adapter is unplugged. */
  kill(): Promise<void>;
}

export class PtyUnavailableError extends Error {
  override name = 'PtyUnavailableError';
}

/**
 * sh: start socat; a watcher reads the pipe from us (fd 3: a background list's stdin would be /dev/null) and
 * kills socat at EOF; SIGTERM/INT/HUP kill socat and wait for it; when socat ends by itself, so does the shell.
 */
const SOCAT_TIED_TO_PARENT = [
  'command -v socat >/dev/null 2>&1 || { echo "socat: not found" >&2; exit 127; }',
  'exec 3<&0',
  'socat -d -d pty,raw,echo=0 pty,raw,echo=0 </dev/null 3<&- & s=$!',
  '(cat <&3 >/dev/null; kill $s 2>/dev/null) & w=$!',
  'exec 3<&-',
  'trap \'kill $s 2>/dev/null; wait $s; kill $w 2>/dev/null; exit 0\' TERM INT HUP',
  'wait $s; r=$?; kill $w 2>/dev/null; exit $r',
].join('\n');

export function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    let proc: ChildProcess;
    try {
      proc = spawn('sh', ['-c', SOCAT_TIED_TO_PARENT], { stdio: ['pipe', 'ignore', 'pipe'] });
    } catch (e) {
      reject(new PtyUnavailableError(`cannot start socat: ${(e as Error).message} (apt-get install -y socat)`));
      return;
    }
    const paths: string[] = [];
    let err = '';
    const timer = setTimeout(() => {
      proc.kill();
      reject(new PtyUnavailableError(`socat did not report two PTYs within ${timeoutMs} ms: ${err.trim()}`));
    }, timeoutMs);
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(new PtyUnavailableError(`cannot start socat: ${e.message} (apt-get install -y socat)`));
    });
    proc.once('exit', (code) => {
      if (paths.length === 2) return;
      clearTimeout(timer);
      reject(new PtyUnavailableError(code === 127 ? 'cannot start socat: not found (apt-get install -y socat)' : `socat exited (${code}) before reporting two PTYs: ${err.trim()}`));
    });
    // The pipe only ties socat's life to ours; nothing is written to it.
    proc.stdin!.on('error', () => {});
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      for (const m of d.toString().matchAll(/PTY is (\S+)/g)) paths.push(m[1]);
      if (paths.length === 2) {
        clearTimeout(timer);
        const exited = new Promise<void>((r) => proc.once('exit', () => r()));
        resolve({
          a: paths[0],
          b: paths[1],
          proc,
          kill: async () => {
            if (proc.exitCode === null && proc.signalCode === null) {
              proc.kill('SIGTERM');
              await exited;
            }
          },
        });
      }
    });
  });
}
