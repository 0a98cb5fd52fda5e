// A linked pair of pseudo-terminals from socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): what one end
// writes the other reads, and `serialport` treats each end as a real port. socat prints
// "... N PTY is /dev/pts/7" for each end on stderr.

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

export function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    let proc: ChildProcess;
    try {
      proc = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
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
