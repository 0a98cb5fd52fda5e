// Boot a topology's QEMU command line with a real kernel and the bench's initramfs, in TCG, bounded by a
// timeout and cancellable. The guest's console (serial on stdout) is kept whole; its markers (guest-init.ts)
// become boot stages reported as they appear. QEMU's trace events for config cycles, BAR mappings and MMIO
// go to a file (-trace … -D FILE) that qemu-trace-import.ts reads afterwards.

import { spawn } from 'node:child_process';
import { MARK } from './guest-init.js';

/** QEMU trace events a run enables: config cycles (with the device and BDF), BAR (un)mappings, and every
 * MMIO access with its absolute address, size, value and memory-region name (QEMU 7.2 has no CXL-specific
 * trace events; `qemu-system-x86_64 -trace help`). */
export const TRACE_EVENTS = ['pci_cfg_read', 'pci_cfg_write', 'pci_update_mappings_add', 'pci_update_mappings_del', 'memory_region_ops_read', 'memory_region_ops_write'] as const;

/** Kernel command line: serial console, debug messages of the built-in CXL core. */
export const KERNEL_APPEND = ['console=ttyS0', 'quiet', 'panic=-1', 'cxl_core.dyndbg=+p'];

export type BootStatus = 'done' | 'timeout' | 'cancelled' | 'failed';

export interface BootStage {
  stage: string;
  /** Milliseconds from spawn (host wall clock). */
  atMs: number;
  /** The marker line as printed. */
  line: string;
}

export interface BootResult {
  status: BootStatus;
  /** Why, when not 'done'. */
  reason?: string;
  exitCode: number | null;
  console: string;
  /** QEMU's own error output. */
  stderr: string;
  tracePath: string | null;
  argv: string[];
  wallMs: number;
  stages: BootStage[];
}

export interface BootInput {
  qemu: string;
  /** Machine and devices (cmdline.ts planQemu().args). */
  machineArgs: readonly string[];
  kernel: string;
  initramfs: string;
  /** Extra kernel command-line words (guest-init.ts guestCmdline). */
  append: readonly string[];
  /** Write QEMU's trace here (null: no tracing). */
  tracePath: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
  onStage?: (s: BootStage) => void;
  onConsole?: (chunk: string) => void;
}

export function bootArgv(input: Pick<BootInput, 'machineArgs' | 'kernel' | 'initramfs' | 'append' | 'tracePath'>): string[] {
  // -msg timestamp=on: the log backend prefixes each trace line with pid@seconds.microseconds (the run's time axis).
  const trace = input.tracePath ? ['-msg', 'timestamp=on', ...TRACE_EVENTS.flatMap((e) => ['-trace', e]), '-D', input.tracePath] : [];
  return [...input.machineArgs, '-serial', 'stdio', '-kernel', input.kernel, '-initrd', input.initramfs, '-append', [...KERNEL_APPEND, ...input.append].join(' '), ...trace];
}

export function bootQemu(input: BootInput): Promise<BootResult> {
  const argv = bootArgv(input);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(input.qemu, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let console = '';
    let stderr = '';
    let pending = '';
    const stages: BootStage[] = [];
    let ended: { status: BootStatus; reason?: string } | null = null;
    const end = (status: BootStatus, reason: string) => {
      if (ended) return;
      ended = { status, reason };
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => end('timeout', `the guest did not finish within ${Math.round(input.timeoutMs / 1000)} s (last stage: ${stages.at(-1)?.stage ?? 'none: no marker from the guest'})`), input.timeoutMs);
    const onAbort = () => end('cancelled', 'cancelled');
    if (input.signal?.aborted) onAbort();
    input.signal?.addEventListener('abort', onAbort);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      console += chunk;
      input.onConsole?.(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const raw of lines) {
        const line = raw.replace(/\r$/, '');
        const at = line.indexOf(`${MARK} stage `);
        if (at >= 0) {
          const stage = line.slice(at + MARK.length + 7).split(' ')[0];
          const s = { stage, atMs: Date.now() - t0, line: line.slice(at) };
          stages.push(s);
          input.onStage?.(s);
        } else if (line.includes(`${MARK} probed `) || line.includes(`${MARK} probe-timeout `)) {
          const s = { stage: line.includes('probed') ? 'probed' : 'probe-timeout', atMs: Date.now() - t0, line: line.slice(line.indexOf(MARK)) };
          stages.push(s);
          input.onStage?.(s);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', (e) => end('failed', `could not start ${input.qemu}: ${e.message}`));
    child.on('close', (code) => {
      clearTimeout(timer);
      input.signal?.removeEventListener('abort', onAbort);
      const done = stages.some((s) => s.stage === 'done');
      const result: BootResult = {
        status: ended?.status ?? (done ? 'done' : 'failed'),
        exitCode: code,
        console,
        stderr,
        tracePath: input.tracePath,
        argv,
        wallMs: Date.now() - t0,
        stages,
      };
      const reason = ended?.reason ?? (done ? undefined : `QEMU exited (code ${code}) before the guest finished${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`);
      if (reason) result.reason = reason;
      resolve(result);
    });
  });
}
