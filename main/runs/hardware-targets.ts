// Hardware endpoints in a run (issue 7): each topology node named in the run's `hardware` bindings is replaced,
// for this run only, by a HardwareEndpoint (hil/) over the bound link and device map; config accesses by BDF,
// MMIO by address and memory by HPA that reach that node go to the hardware too (hardware-platform.ts). Links open before the sequence starts — one that does
// not open fails the run 'error' with the reason — and close when the run ends. A link that fails mid-run
// rejects the sequence's access with a LinkFault after the access was traced, so the run ends 'error' with
// every event before it kept (run-executor.ts).

import type { CfgWidth } from '../../common/access.js';
import { LinkFault, type Target } from '../../common/target.js';
import type { TraceSink } from '../../common/trace-sink.js';
import { EmulatedPlatform } from '../../emulator/topology/platform.js';
import { HardwareEndpoint } from '../../hil/hardware-endpoint.js';
import { loadDeviceMap, sysfsDeviceMap } from '../../hil/device-map.js';
import { SysfsPciLink } from '../../hil/sysfs/sysfs-pci-link.js';
import type { MessagePort } from 'node:worker_threads';
import { openLink, parseLinkUri, type Link } from '../../hil/link.js';
import { ProxiedLink } from '../links/link-proxy.js';
import { endpointDeviceMap } from '../links/device-maps.js';
import type { RunEnvironment } from './environment.js';
import { HardwarePlatform, type HardwareNode } from './hardware-platform.js';
import type { HardwareBinding } from './messages.js';

/**
 * Per-request timeout of run links: long enough for a slow UART and for a loaded machine (an Etherbone demo run
 * against a loopback simulator ended 'error' under two test suites on 2 cores with 1 s; over TCP a timeout fails
 * the run, as a late reply cannot be told from a lost one), short enough that a dead board ends a run within a
 * few seconds. A dropped connection or a vanished port fails at once, not by timeout.
 */
export const RUN_LINK_TIMEOUT_MS = 2000;

/**
 * Firmware enumerated the emulated platform before the run (its config cycles are the trace's first events,
 * under the node's name); give the hardware the same programming — BARs, then Command (PCI 3.0 6.2.2, 6.2.5) —
 * through an untraced endpoint, so the board starts where the trace says firmware left it.
 */
async function replayFirmware(emu: EmulatedPlatform, node: string, hw: Target): Promise<void> {
  const model = emu.node(node)?.model;
  if (!model) return;
  for (let off = 0x10; off <= 0x24; off += 4) await hw.cfgWrite(off, 4, model.cfgRead(off, 4));
  await hw.cfgWrite(0x04, 2, model.cfgRead(0x04, 2));
}

export async function attachHardware(
  env: RunEnvironment,
  bindings: Readonly<Record<string, HardwareBinding>>,
  sink: TraceSink,
  linkPorts: Readonly<Record<string, MessagePort>> = {},
  onFault: (e: Error) => void = () => {},
): Promise<RunEnvironment> {
  const links: Link[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(links.map((l) => l.close().catch(() => {})));
  };
  const hardware = new Map<string, HardwareNode>();
  // The platform drops a board's cached decode state whenever the host writes to that board (decoders, DVSEC).
  let platform: HardwarePlatform | null = null;
  const onWrite = (node: string): void => platform?.noteWrite(node);
  try {
    for (const [node, b] of Object.entries(bindings)) {
      if (!env.targets.has(node)) throw new Error(`no node "${node}" in this topology (nodes: ${[...env.targets.keys()].join(', ')})`);
      // A sysfs function with no map named gets the sysfs layout sized from its own `resource` list.
      const isSysfs = parseLinkUri(b.link).transport === 'sysfs';
      const named = b.mapText !== undefined ? loadDeviceMap(b.mapText) : b.map !== undefined || !isSysfs ? endpointDeviceMap(b.map) : null;
      let link: Link;
      try {
        const port = linkPorts[node];
        link = port ? new ProxiedLink(b.link, parseLinkUri(b.link).transport, port) : await openLink(b.link, { timeoutMs: RUN_LINK_TIMEOUT_MS });
        if (port) await link.open();
      } catch (e) {
        throw new Error(`${node}: link ${b.link} did not open: ${(e as Error).message}`);
      }
      links.push(link);
      const map = named ?? sysfsDeviceMap(link instanceof SysfsPciLink ? link.barSizes() : undefined);
      // A function in this machine's PCIe tree (sysfs) was enumerated by this machine's firmware and kernel: its
      // BARs hold real addresses, which the emulated firmware's must never overwrite.
      if (env.platform instanceof EmulatedPlatform && !isSysfs) await replayFirmware(env.platform, node, new HardwareEndpoint(link, map, node, null));
      const watch = new FaultWatch(new HardwareEndpoint(link, map, node, sink), b.link, onFault, () => onWrite(node));
      hardware.set(node, { target: watch, board: new HardwareEndpoint(link, map, node, null), guard: (f) => watch.guard(f) });
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  const targets = new Map(env.targets);
  for (const [node, n] of hardware) targets.set(node, n.target);
  if (env.platform instanceof EmulatedPlatform) platform = new HardwarePlatform(env.platform, hardware, sink);
  return {
    targets,
    platform: platform ?? env.platform,
    // The emulated layout stays: the device map puts the same CXL spaces at the same offsets, so the hardware
    // trace decodes with the same register declarations (what the host finds differently is the comparison).
    layout: env.layout,
    async close() {
      await closeAll();
      await env.close?.();
    },
  };
}

/**
 * The first LinkFault of a hardware endpoint ends the run: it is reported once (onFault, which aborts the
 * sequence and makes the run 'error' with this reason), and every later access fails at once with it — not
 * sent, not traced — so the trace ends with the access that failed (HardwareEndpoint traced it as
 * 'timeout' / 'link-error').
 */
class FaultWatch implements Target {
  private fault: Error | null = null;
  readonly node: string;
  readonly backend: string;

  constructor(
    private readonly inner: Target,
    private readonly uri: string,
    private readonly onFault: (e: Error) => void,
    private readonly onWrite: () => void = () => {},
  ) {
    this.node = inner.node;
    this.backend = inner.backend;
  }

  /** Run a link operation under this watch (also the platform's memory accesses to the same board). */
  async guard<T>(f: () => Promise<T>): Promise<T> {
    if (this.fault) throw this.fault;
    try {
      return await f();
    } catch (e) {
      if (e instanceof LinkFault && !this.fault) {
        this.fault = new LinkFault(e.kind, `${this.node}: link ${this.uri} failed (${e.kind}): ${e.message}`);
        this.onFault(this.fault);
      }
      throw this.fault ?? e;
    }
  }

  cfgRead(offset: number, width: CfgWidth): Promise<number> {
    return this.guard(() => this.inner.cfgRead(offset, width));
  }
  cfgWrite(offset: number, width: CfgWidth, value: number): Promise<void> {
    return this.guard(() => this.inner.cfgWrite(offset, width, value)).finally(this.onWrite);
  }
  barRead(bar: number, offset: number, width: CfgWidth): Promise<number> {
    return this.guard(() => this.inner.barRead(bar, offset, width));
  }
  barWrite(bar: number, offset: number, width: CfgWidth, value: number): Promise<void> {
    return this.guard(() => this.inner.barWrite(bar, offset, width, value)).finally(this.onWrite);
  }
  barRead64(bar: number, offset: number): Promise<bigint> {
    return this.guard(() => this.inner.barRead64(bar, offset));
  }
  barWrite64(bar: number, offset: number, value: bigint): Promise<void> {
    return this.guard(() => this.inner.barWrite64(bar, offset, value)).finally(this.onWrite);
  }
}
