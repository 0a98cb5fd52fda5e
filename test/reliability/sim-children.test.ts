// Issue 16: a killed simulator left its socat child behind (the pty pair outlived `cxl-bench sim`). socat now
// dies with its parent however that parent ends: SIGTERM, SIGHUP (terminal closed), or SIGKILL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/cxl-bench.mjs', import.meta.url));
const haveSocat = spawnSync('sh', ['-c', 'command -v socat']).status === 0;

/** Every descendant of `pid` with its command name (Linux /proc). */
function descendants(pid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  const walk = (p: number): void => {
    const tasks = `/proc/${p}/task`;
    if (!existsSync(tasks)) return;
    for (const t of readdirSync(tasks)) {
      let kids: string;
      try {
        kids = readFileSync(`${tasks}/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const k of kids.trim().split(/\s+/).filter(Boolean).map(Number)) {
        out.push({ pid: k, comm: readFileSync(`/proc/${k}/comm`, 'utf8').trim() });
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}

const alive = (pid: number): boolean => {
  try {
    // A zombie (exited, not yet reaped by its parent) is gone for our purpose.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

describe.skipIf(process.platform !== 'linux' || !haveSocat)('simulator children', () => {
  it.each(['SIGKILL', 'SIGHUP', 'SIGTERM'] as const)('a simulator ended by %s leaves no socat', async (signal) => {
    const child = spawn(process.execPath, [BIN, 'sim', 'uartbone', '--pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.once('exit', (c) => reject(new Error(`sim exited ${c}`)));
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('link: uartbone:')) resolve();
      });
    });
    const socat = descendants(child.pid!).filter((d) => d.comm === 'socat');
    expect(socat).toHaveLength(1);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    // socat goes once the pipe from its parent closes: wait for it (not for a time).
    while (alive(socat[0].pid)) await new Promise((r) => setTimeout(r, 50));
    expect(alive(socat[0].pid)).toBe(false);
  });
});
