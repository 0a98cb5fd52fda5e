// One session's live bench: an emulated platform (emulator/topology) owned by the main process, enumerated as
// firmware would, whose every access — register explorer reads and writes, mailbox console commands,
// injections — is recorded through the run recording path (RunRecorder -> RunTraceWriter) into the session's
// "console" run, flushed after each operation so trace.page shows it at once.
// Small, synchronous and fast: operations that await (the mailbox client) are serialised per bench.

import { VirtualClock } from '../../common/clock.js';
import type { Region, Width } from '../../common/access.js';
import type { LogRow } from '../api/contract.js';
import type { RegisterDecl } from '../../emulator/regs/types.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import type { EmulatedPlatform } from '../../emulator/topology/platform.js';
import { buildTimedPlatform, LatencyClock } from '../../emulator/timing/index.js';
import type { Topology } from '../../emulator/topology/types.js';
import { fromHex, toHex } from '../../host/core/bytes.js';
import { MailboxClient } from '../../host/core/mbox.js';
import { PAYLOAD_DECODERS } from '../../host/core/mbox-payloads.js';
import { ApiError } from '../api/api-error.js';
import type { DecodedRegister, LiveBench, MailboxSendResult, RegBlockInfo, TopologyNodeInfo } from '../api/contract-live.js';
import { RunRecorder } from '../runs/run-recorder.js';
import type { Store } from '../store/store.js';
import { RunTraceWriter } from '../store/trace-writer.js';
import { platformNodeInfos } from './node-infos.js';
import { platformContext } from '../regions/region-bench.js';
import type { SequenceContext } from '../../host/sequence.js';
import type { StepTraceRecord } from '../../common/trace-sink.js';
import { nodeRegisterPort, type NodeRegisterPort } from './node-registers.js';
import { decodeRegister } from './register-decode.js';

export const CONSOLE_SEQUENCE = 'console';

export type LiveLog = (level: LogRow['level'], message: string, runId: number) => LogRow;

/** A block of a node's layout with its declaration resolved (one source of truth: emulator/spec). */
interface ResolvedBlock {
  info: RegBlockInfo;
  registers: readonly RegisterDecl[];
}

export class LivePlatform {
  readonly clock = new VirtualClock();
  /** The console trace's time: the clock plus what each access took (emulator/timing). */
  private readonly traceClock = new LatencyClock(this.clock);
  readonly platform: EmulatedPlatform;
  readonly nodes: TopologyNodeInfo[];
  /** The session's console run. */
  readonly runId: number;
  private readonly recorder: RunRecorder;
  private queue: Promise<unknown> = Promise.resolve();
  /** Mailbox clients by node, located on first use. */
  private readonly clients = new Map<string, MailboxClient>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly log: LiveLog,
    readonly sessionId: number,
    readonly topologyName: string,
    topology: Topology,
    /** The topology's JSON text, recorded with the console run (main/runs/topology-source.ts). */
    topologyJson: string | null = null,
  ) {
    const run = store.runs.create({ sessionId, sequence: CONSOLE_SEQUENCE, topology: topologyName, topologyJson });
    this.runId = run.id;
    this.recorder = new RunRecorder(this.traceClock, new RunTraceWriter(store.db, run.id));
    this.platform = buildTimedPlatform(topology, { clock: this.clock, sink: this.recorder.sink, traceClock: this.traceClock });
    // Firmware's enumeration is the first thing in the console trace: bus numbers and BARs the explorer uses.
    this.platform.enumerateLikeFirmware();
    this.nodes = platformNodeInfos(this.platform);
    store.runs.setLayout(run.id, this.platform.layout());
    store.runs.setTargets(run.id, this.nodes.filter((n) => n.kind === 'type3').map((n) => `${n.path}=${n.backend}`).join(', '));
    this.note('info', `live bench opened: ${topologyName} (console run ${run.id})`);
  }

  view(): LiveBench {
    return { sessionId: this.sessionId, topology: this.topologyName, runId: this.runId, nodes: this.nodes };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // ---- register explorer ----

  private port(node: string): NodeRegisterPort {
    const p = nodeRegisterPort(this.platform, node);
    if (!p) throw new ApiError('not-found', `no node "${node}" in ${this.topologyName} (nodes: ${this.nodes.map((n) => n.path).join(', ')})`, 'node');
    return p;
  }

  private resolved(port: NodeRegisterPort): ResolvedBlock[] {
    return port
      .layout()
      .slice()
      .sort((a, b) => (a.region === b.region ? a.base - b.base : a.region.localeCompare(b.region)))
      .map((pb) => {
        const decl = resolveBlock(pb.block, pb.params ?? {});
        const info: RegBlockInfo = {
          region: pb.region as RegBlockInfo['region'],
          base: pb.base,
          id: pb.block,
          name: decl?.name ?? pb.block,
          spec: decl?.spec ?? '',
          size: decl?.size ?? 0,
          ...(pb.params ? { params: { ...pb.params } } : {}),
        };
        return { info, registers: decl?.registers ?? [] };
      });
  }

  blocks(node: string): RegBlockInfo[] {
    return this.resolved(this.port(node)).map((b) => b.info);
  }

  /** Decoded registers of a block (its id, or its base "0x100") or of the whole region. Reads are traced. */
  read(node: string, region: Region, block?: string): DecodedRegister[] {
    const port = this.port(node);
    let blocks = this.resolved(port).filter((b) => b.info.region === region);
    if (block !== undefined) {
      const base = /^0x[0-9a-f]+$/i.test(block) ? parseInt(block, 16) : NaN;
      blocks = blocks.filter((b) => b.info.id === block || b.info.base === base);
      if (blocks.length === 0) throw new ApiError('not-found', `no block "${block}" in ${node} ${region} (see regs.blocks)`, 'block');
    }
    const out: DecodedRegister[] = [];
    for (const b of blocks) {
      const decl = resolveBlock(b.info.id, b.info.params ?? {})!;
      for (const r of b.registers.length ? b.registers : rawWords(b.info, region)) out.push(decodeRegister(decl, b.info.base, r, port.read(region, b.info.base + r.offset, r.width)));
    }
    this.flush();
    return out;
  }

  /** Write a register, then re-read it (both traced) and decode it with its declaration when one covers it. */
  write(node: string, region: Region, offset: number, width: Width, value: bigint): DecodedRegister {
    const port = this.port(node);
    port.write(region, offset, width, value);
    const after = port.read(region, offset, width);
    this.flush();
    for (const b of this.resolved(port)) {
      if (b.info.region !== region) continue;
      const r = b.registers.find((x) => b.info.base + x.offset === offset && x.width === width);
      if (r) return decodeRegister(resolveBlock(b.info.id, b.info.params ?? {})!, b.info.base, r, after);
    }
    const hit = this.resolved(port).find((b) => b.info.region === region && offset >= b.info.base && offset < b.info.base + b.info.size);
    return {
      block: hit?.info.id ?? '',
      blockName: hit?.info.name ?? '',
      offset,
      width,
      name: hit ? `${hit.info.name} +0x${(offset - hit.info.base).toString(16)}` : `${region} +0x${offset.toString(16)}`,
      value: '0x' + after.toString(16).padStart(2 * width, '0'),
      fields: [],
    };
  }

  // ---- mailbox console ----

  /**
   * One command through the host's mailbox client (host/core/mbox.ts) against the node's Target. The client
   * locates the mailbox (Register Locator, device capability array) on first use and is kept, as a driver
   * does at probe, so later commands trace only the doorbell handshake.
   */
  mailbox(node: string, opcode: number, payloadHex: string): Promise<MailboxSendResult> {
    return this.serial(async () => {
      const f = this.type3Node(node);
      const input = fromHex(payloadHex);
      if (!input) throw new ApiError('bad-input', 'payloadHex: must be hex bytes', 'payloadHex');
      const start = this.traceClock.now();
      let client = this.clients.get(node);
      if (!client) {
        const c = await MailboxClient.connect(f.target, {
          sleep: async (ns) => this.clock.advance(ns),
          now: () => this.clock.now(),
          sink: this.recorder.sink,
        });
        if ('error' in c) {
          this.flush();
          throw new ApiError('conflict', `${node}: ${c.error}`, 'node');
        }
        client = c;
        this.clients.set(node, client);
      }
      const r = await client.send(opcode, input);
      this.flush();
      const out: MailboxSendResult = {
        opcode,
        name: r.name,
        returnCode: r.rc,
        returnName: r.rcName,
        outputHex: toHex(r.output),
        durationNs: this.traceClock.now() - start,
        background: r.background,
      };
      const decode = PAYLOAD_DECODERS[opcode];
      if (decode && r.rc === 0 && !r.failure) out.decoded = jsonSafe(decode(r.output));
      if (r.failure) out.error = `${r.failure.message} (${r.failure.evidence})`;
      return out;
    });
  }

  /** The Type 3 record of a node, or a not-found / bad-input naming `node`. */
  type3Node(node: string) {
    const f = this.platform.node(node);
    if (!f) throw new ApiError('not-found', `no node "${node}" in ${this.topologyName} (nodes: ${this.nodes.map((n) => n.path).join(', ')})`, 'node');
    if (!f.type3) throw new ApiError('bad-input', `${node} is a ${f.kind}, not a Type 3 device (no mailbox)`, 'node');
    return { ...f, type3: f.type3 };
  }

  // ---- host sequences on the bench (regions) ----

  /**
   * A SequenceContext over this bench for a host sequence run in the console (regions.*): its accesses and
   * steps (named `sequence`) go to the console run; `onStep` sees each step too.
   */
  sequenceContext(sequence: string, onStep: (r: Omit<StepTraceRecord, 'sequence'>) => void): SequenceContext {
    return platformContext(this.platform, {
      clock: this.clock,
      sink: this.recorder.sink,
      step: (r) => {
        this.recorder.step({ ...r, sequence });
        onStep(r);
      },
    });
  }

  // ---- recording ----

  /** Record an operation that is not a register access (an injection) as an info step, and log it. */
  note(level: LogRow['level'], message: string, step?: { name: string; evidence?: string }): LogRow {
    if (step) this.recorder.step({ sequence: CONSOLE_SEQUENCE, name: step.name, verdict: 'info', reason: message, ...(step.evidence ? { evidence: step.evidence } : {}) });
    this.flush();
    return this.log(level, message, this.runId);
  }

  /** Write what was recorded (the console run's trace grows after every operation). */
  flush(): void {
    if (this.closed) return;
    this.recorder.flush();
  }

  /** Finish the console run ('passed'): everything recorded is written. */
  close(): void {
    if (this.closed) return;
    this.recorder.flush();
    this.closed = true;
    this.store.runs.finish(this.runId, 'passed', `console: ${this.recorder.events} events`);
    this.log('info', `live bench closed: ${this.topologyName} (console run ${this.runId}, ${this.recorder.events} events)`, this.runId);
  }

  /** Serialise async operations: one mailbox handshake at a time, as on a real device. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Decoded payloads may hold bigints and byte arrays: make them JSON (hex strings, number arrays). */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : '0x' + v.toString(16);
  if (v instanceof Uint8Array) return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

/**
 * A block declared without registers (the mailbox Command Payload area, CXL 2.0 8.2.8.4.8) read as data words:
 * 64-bit on BAR2 where device registers allow it (8.2.8), else 32-bit, so the explorer shows its bytes.
 */
function rawWords(info: RegBlockInfo, region: Region): RegisterDecl[] {
  const width: 4 | 8 = region === 'bar2' ? 8 : 4;
  const out: RegisterDecl[] = [];
  for (let o = 0; o + width <= info.size; o += width) out.push({ name: `data +0x${o.toString(16).padStart(3, '0')}`, offset: o, width, fields: [] });
  return out;
}
