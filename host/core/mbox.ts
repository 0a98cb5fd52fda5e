// Mailbox client over a Target: the primary mailbox handshake of CXL 2.0 8.2.8.4 as Linux drives it
// (drivers/cxl/pci.c __cxl_pci_mbox_send_cmd, v6.8-v6.12): doorbell must be clear, input payload at +0x20,
// 64-bit command register (opcode [15:0], length [36:16]), set doorbell, poll the doorbell up to 2 s
// (CXL_MAILBOX_TIMEOUT_MS), return code from status [47:32], output length from the command register, copy the
// output. A Background Command Started answer is followed through Background Command Status (8.2.8.4.7).
// Polls wait with the run's sleep, so virtual runs take no wall time. Never throws for device behaviour;
// link faults from hardware targets propagate.

import type { Target } from '../../common/target.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { NS_PER_MS, NS_PER_S } from '../../common/clock.js';
import { bits64, hex, toHex } from './bytes.js';
import { opcodeName, RC, returnCodeName } from './mbox-opcodes.js';
import { DEVCAP, deviceCapArrayRead, RBI, regLocatorRead, type DeviceCapArray, type RegBlock } from './regs.js';

/** Mailbox register offsets from the mailbox capability base (CXL 2.0 8.2.8.4). */
export const MBOX = { caps: 0x00, ctrl: 0x04, cmd: 0x08, status: 0x10, bgStatus: 0x18, payload: 0x20 } as const;
/** CXL_MAILBOX_TIMEOUT_MS (drivers/cxl/cxlmem.h): 2 s doorbell timeout. */
export const MAILBOX_TIMEOUT_NS = 2 * NS_PER_S;

export interface MailboxRegs {
  /** BAR holding the device register block. */
  bar: number;
  /** Offset in the BAR of the device register block. */
  base: number;
  /** Absolute BAR offsets of the structures (0 when not found). */
  mbox: number;
  status: number;
  memdev: number;
  capArray: DeviceCapArray;
  block: RegBlock;
}

/** Why a command did not complete at the transport level, with the kernel's message. */
export interface MailboxFailure {
  kind: 'busy' | 'timeout' | 'too-large' | 'bg-timeout';
  message: string;
  evidence: string;
}

export interface MailboxResult {
  opcode: number;
  name: string;
  /** Device return code (the background command's when one ran). 0xffff when the command never completed. */
  rc: number;
  rcName: string;
  output: Uint8Array;
  /** Output length the device reported in the command register (may exceed what was copied). */
  outLen: number;
  failure: MailboxFailure | null;
  /** Set when the command ran in the background. */
  background: boolean;
}

export interface MailboxEnv {
  sleep(ns: number): Promise<void>;
  now(): number;
  sink: TraceSink | null;
}

export interface SendOptions {
  /** Doorbell poll interval (default 1 ms; the kernel busy-waits). */
  pollNs?: number;
  /** Doorbell timeout (default 2 s). */
  timeoutNs?: number;
  /** Background poll interval and overall limit (kernel: per-command poll_interval_ms × poll_count). */
  bgPollNs?: number;
  bgTimeoutNs?: number;
  /** Do not follow a background command; return Background Command Started as is. */
  noBackgroundWait?: boolean;
}

/** Locate the mailbox through the Register Locator (block 3) and the device capability array. */
export async function mailboxLocate(t: Target): Promise<MailboxRegs | { error: string }> {
  const loc = await regLocatorRead(t);
  if (!loc.dvsec) return { error: 'Register Locator DVSEC not present' };
  const block = loc.blocks.find((b) => b.rbi === RBI.memdev);
  if (!block) return { error: 'no memory device register block in the Register Locator' };
  const arr = await deviceCapArrayRead(t, block.bar, block.offset);
  const find = (id: number): number => {
    const c = arr.caps.find((x) => x.id === id);
    return c ? block.offset + c.offset : 0;
  };
  const regs: MailboxRegs = {
    bar: block.bar,
    base: block.offset,
    mbox: find(DEVCAP.primaryMailbox),
    status: find(DEVCAP.status),
    memdev: find(DEVCAP.memdev),
    capArray: arr,
    block,
  };
  if (!regs.mbox) return { error: `primary mailbox capability not found (capability array ${hex(arr.raw, 16)})` };
  return regs;
}

export class MailboxClient {
  /** Payload area size in bytes, 2^[4:0] of MB Capabilities, capped at 1 MiB as Linux does. */
  readonly payloadSize: number;

  constructor(
    readonly target: Target,
    readonly regs: MailboxRegs,
    readonly capsRaw: number,
    private readonly env: MailboxEnv,
  ) {
    this.payloadSize = Math.min(2 ** (capsRaw & 0x1f), 1 << 20);
  }

  /** Read MB Capabilities and build a client. */
  static async open(t: Target, regs: MailboxRegs, env: MailboxEnv): Promise<MailboxClient> {
    const caps = await t.barRead(regs.bar, regs.mbox + MBOX.caps, 4);
    return new MailboxClient(t, regs, caps, env);
  }

  /** Locate and open in one go; an error string when the device has no reachable mailbox. */
  static async connect(t: Target, env: MailboxEnv): Promise<MailboxClient | { error: string }> {
    const regs = await mailboxLocate(t);
    if ('error' in regs) return regs;
    return MailboxClient.open(t, regs, env);
  }

  private reg(off: number): number {
    return this.regs.mbox + off;
  }

  async doorbellBusy(): Promise<boolean> {
    return ((await this.target.barRead(this.regs.bar, this.reg(MBOX.ctrl), 4)) & 1) === 1;
  }

  /** Wait for the doorbell to clear (cxl_pci_mbox_wait_for_doorbell); false on timeout. */
  async waitDoorbellIdle(pollNs = NS_PER_MS, timeoutNs = MAILBOX_TIMEOUT_NS): Promise<boolean> {
    const start = this.env.now();
    while (await this.doorbellBusy()) {
      if (this.env.now() - start >= timeoutNs) return !(await this.doorbellBusy());
      await this.env.sleep(pollNs);
    }
    return true;
  }

  async readStatus(): Promise<bigint> {
    return this.target.barRead64(this.regs.bar, this.reg(MBOX.status));
  }

  async readBgStatus(): Promise<{ raw: bigint; opcode: number; percent: number; rc: number; vendor: number }> {
    const raw = await this.target.barRead64(this.regs.bar, this.reg(MBOX.bgStatus));
    return { raw, opcode: bits64(raw, 15, 0), percent: bits64(raw, 22, 16), rc: bits64(raw, 47, 32), vendor: bits64(raw, 63, 48) };
  }

  async readMemdevStatus(): Promise<bigint> {
    if (!this.regs.memdev) return 0n;
    return this.target.barRead64(this.regs.bar, this.regs.memdev);
  }

  /**
   * Send one command. `declaredLen` overrides the length written to the command register (conformance uses
   * it to send lengths that do not match the payload).
   */
  async send(opcode: number, input: Uint8Array = new Uint8Array(0), opts: SendOptions & { declaredLen?: number } = {}): Promise<MailboxResult> {
    const { bar } = this.regs;
    const t = this.target;
    const name = opcodeName(opcode);
    const fail = (kind: MailboxFailure['kind'], message: string, evidence: string): MailboxResult =>
      this.record({ opcode, name, rc: 0xffff, rcName: 'no completion', output: new Uint8Array(0), outLen: 0, failure: { kind, message, evidence }, background: false }, input);

    if (input.length > this.payloadSize)
      return fail('too-large', `Mailbox command (opcode: ${hex(opcode, 4)}) input ${input.length}B exceeds payload size ${this.payloadSize}B`, `MB Capabilities = ${hex(this.capsRaw)}`);

    // 1. The doorbell must be clear (CXL 2.0 8.2.8.4.4).
    const ctrl = await t.barRead(bar, this.reg(MBOX.ctrl), 4);
    if (ctrl & 1) {
      const md = await this.readMemdevStatus();
      return fail('busy', `${name} (opcode: ${hex(opcode, 4)}): mailbox queue busy`, `MB Control = ${hex(ctrl)}, Memory Device Status = ${hex(md, 16)}`);
    }
    // 2. Input payload at +0x20, dword-wide (memcpy_toio).
    await this.writePayload(input);
    // 3. Command register: opcode [15:0], payload length [36:16].
    const len = BigInt(opts.declaredLen ?? input.length) & 0x1f_ffffn;
    await t.barWrite64(bar, this.reg(MBOX.cmd), BigInt(opcode & 0xffff) | (len << 16n));
    // 4. Ring the doorbell.
    await t.barWrite(bar, this.reg(MBOX.ctrl), 4, 1);
    // 5. Poll until the device clears it.
    if (!(await this.waitDoorbellIdle(opts.pollNs, opts.timeoutNs))) {
      const md = await this.readMemdevStatus();
      return fail('timeout', `${name} (opcode: ${hex(opcode, 4)}): mailbox timeout`, `MB Control doorbell still set after ${(opts.timeoutNs ?? MAILBOX_TIMEOUT_NS) / NS_PER_MS} ms, Memory Device Status = ${hex(md, 16)}`);
    }
    // 6. Return code from MB Status [47:32].
    let status = await this.readStatus();
    let rc = bits64(status, 47, 32);
    let background = false;
    if (rc === RC.backgroundStarted && !opts.noBackgroundWait) {
      background = true;
      const bgPoll = opts.bgPollNs ?? 100 * NS_PER_MS;
      const limit = opts.bgTimeoutNs ?? 60 * NS_PER_S;
      const start = this.env.now();
      for (;;) {
        const bg = await this.readBgStatus();
        status = await this.readStatus();
        if (bg.percent === 100 || !(Number(status & 1n))) {
          rc = bg.rc;
          break;
        }
        if (this.env.now() - start >= limit) {
          return this.record(
            { opcode, name, rc: RC.backgroundStarted, rcName: returnCodeName(RC.backgroundStarted), output: new Uint8Array(0), outLen: 0, background, failure: { kind: 'bg-timeout', message: `timeout waiting for background (${limit / NS_PER_MS} ms)`, evidence: `Background Command Status = ${hex(bg.raw, 16)}` } },
            input,
          );
        }
        await this.env.sleep(bgPoll);
      }
    }
    // 7. Output length from the command register; 8. copy the output (bounded by the payload size).
    const cmd = await t.barRead64(bar, this.reg(MBOX.cmd));
    const outLen = bits64(cmd, 36, 16);
    const output = rc === RC.success ? await this.readPayload(Math.min(outLen, this.payloadSize)) : new Uint8Array(0);
    return this.record({ opcode, name, rc, rcName: returnCodeName(rc), output, outLen, failure: null, background }, input);
  }

  private async writePayload(data: Uint8Array): Promise<void> {
    const { bar } = this.regs;
    const base = this.reg(MBOX.payload);
    for (let at = 0; at < data.length; at += 4) {
      const v = (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16) | ((data[at + 3] ?? 0) << 24);
      await this.target.barWrite(bar, base + at, 4, v >>> 0);
    }
  }

  private async readPayload(n: number): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    const base = this.reg(MBOX.payload);
    for (let at = 0; at < n; at += 4) {
      const v = await this.target.barRead(this.regs.bar, base + at, 4);
      for (let k = 0; k < 4 && at + k < n; k++) out[at + k] = (v >>> (8 * k)) & 0xff;
    }
    return out;
  }

  private record(r: MailboxResult, input: Uint8Array): MailboxResult {
    const sink = this.env.sink;
    if (sink)
      sink.mailbox(sink.nodeId(this.target.node), {
        opcode: r.opcode,
        name: r.name,
        returnCode: r.rc,
        returnName: r.failure ? `${r.rcName}: ${r.failure.message}` : r.rcName,
        inputHex: toHex(input),
        outputHex: toHex(r.output),
      });
    return r;
  }
}
