// `enumerate`: walk every function of the run (and the platform's buses by BDF when there is a platform):
// IDs, capability lists, DVSECs, Register Locator, both capability arrays → the discovered Layout.

import type { Layout } from '../../common/layout.js';
import { hex } from '../core/bytes.js';
import { walkBdfs } from '../core/bdf-walk.js';
import { discoverFunction, type DiscoveredFunction } from '../core/discover.js';
import { CAP_NAMES, CXL_VENDOR_ID, DVSEC_NAMES, EXT_CAP_NAMES } from '../core/pci.js';
import { CMCAP_NAMES, DEVCAP_NAMES, RBI_NAMES } from '../core/regs.js';
import type { Sequence, SequenceContext, SequenceResult } from '../sequence.js';
import { cancelled, StepLog, targetsInOrder } from './step-log.js';

export interface EnumerateResult extends SequenceResult {
  layout: Layout;
  functions: DiscoveredFunction[];
}

const h4 = (n: number): string => n.toString(16).padStart(4, '0');

function describe(f: DiscoveredFunction): string[] {
  const lines = [
    `caps: ${f.caps.map((c) => `${CAP_NAMES[c.id] ?? hex(c.id, 2)}@${hex(c.offset, 2)}`).join(', ') || 'none'}`,
    `ext caps: ${f.extCaps.map((c) => `${EXT_CAP_NAMES[c.id] ?? hex(c.id, 4)}@${hex(c.offset, 3)}`).join(', ') || 'none'}`,
    `DVSECs: ${f.dvsecs.map((d) => (d.vendor === CXL_VENDOR_ID ? `${d.id} ${DVSEC_NAMES[d.id] ?? ''} rev ${d.revision} len ${hex(d.length, 2)}` : `vendor ${h4(d.vendor)} id ${d.id}`)).join('; ') || 'none'}`,
  ];
  return lines;
}

export async function enumerateRun(ctx: SequenceContext): Promise<EnumerateResult> {
  const log = new StepLog(ctx, 'enumerate');
  const functions: DiscoveredFunction[] = [];
  if (ctx.platform) {
    const bdfs = await walkBdfs(ctx.platform);
    log.info(
      'bus walk',
      `${bdfs.length} function(s) answer config reads by BDF`,
      bdfs.map((b) => `${b.text} ${h4(b.vendor)}:${h4(b.device)} class ${b.classCode.toString(16).padStart(6, '0')}${b.secondaryBus !== null ? ` → bus ${b.secondaryBus}` : ''}`).join('; '),
    );
  }
  const targets = targetsInOrder(ctx);
  let i = 0;
  for (const t of targets) {
    if (cancelled(ctx)) break;
    ctx.progress(i++, targets.length, `enumerate ${t.node}`);
    let f: DiscoveredFunction;
    try {
      f = await discoverFunction(t);
    } catch (err) {
      log.fail(`${t.node}: IDs`, `access failed: ${(err as Error).message}`, (err as Error).name);
      continue;
    }
    functions.push(f);
    if (!f.present) {
      log.warn(`${t.node}: IDs`, 'function does not answer (Vendor ID reads 0xFFFF)', `cfg +0x00 = ${hex(0xffff_ffff)}`);
      continue;
    }
    log.pass(`${t.node}: IDs`, `${h4(f.ids.vendor)}:${h4(f.ids.device)} class ${f.ids.classCode.toString(16).padStart(6, '0')} (${f.kind ?? 'unknown kind'})`, describe(f).join(' | '));
    if (f.regLocator.dvsec) {
      log.pass(
        `${t.node}: register locator`,
        `${f.regLocator.blocks.length} block(s)`,
        f.regLocator.blocks.map((b) => `${RBI_NAMES[b.rbi] ?? `RBI ${b.rbi}`} BAR${b.bar}+${hex(b.offset)}`).join(', '),
      );
    } else log.warn(`${t.node}: register locator`, 'no Register Locator DVSEC (ID 8)');
    if (f.component)
      log.pass(
        `${t.node}: component capability array`,
        `${f.component.array.arraySize} capabilities`,
        `header ${hex(f.component.array.raw)}; ${f.component.array.caps.map((c) => `${CMCAP_NAMES[c.id] ?? c.id} v${c.version} @+${hex(c.pointer, 3)}`).join(', ')}`,
      );
    if (f.device)
      log.pass(
        `${t.node}: device capability array`,
        `${f.device.array.count} capabilities`,
        `array ${hex(f.device.array.raw, 16)}; ${f.device.array.caps.map((c) => `${DEVCAP_NAMES[c.id] ?? hex(c.id, 4)} @${hex(c.offset)} len ${hex(c.length)}`).join(', ')}`,
      );
  }
  ctx.progress(targets.length, targets.length, 'enumerate done');
  const layout = functions.filter((f) => f.present).map((f) => f.layout);
  return { summary: log.summary(`${layout.length} node(s), ${layout.reduce((n, l) => n + l.blocks.length, 0)} blocks`), layout, functions };
}

export const enumerateSequence: Sequence = {
  id: 'enumerate',
  title: 'Enumerate',
  description: 'Walk every function: IDs, capabilities, DVSECs, register locator, capability arrays; build the discovered layout.',
  run: enumerateRun,
};
