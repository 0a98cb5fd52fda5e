// A CXL 2.0 Type 3 memory device as one PCI function (CXL 2.0 8.1, 8.2): config space with the PCI and CXL
// capability chain, BAR0 component registers (64 KiB), BAR2 device registers (capability array, device status,
// primary mailbox, memory device status), BAR4 MSI-X table. Built from the block registry, so `layout()` and
// emulator/spec/resolveBlock decode exactly what runs.

import type { Clock } from '../../common/clock.js';
import type { PlacedBlock } from '../../common/layout.js';
import type { Region } from '../../common/access.js';
import type { MailboxBackend } from '../mailbox/backend.js';
import { createType3Backend, type Type3Backend } from '../mailbox/index.js';
import { hdmDecodersOf } from '../hdm/index.js'; // also registers block kind 'cxl-hdm-decoder' and its behaviour
import { CACHEMEM_RULES, CFG_RULES, DEVICE_RULES, MSIX_RULES } from '../regs/access-rules.js';
import type { RegisterBlock, ResetKind } from '../regs/register-block.js';
import { resolveBlock } from '../spec/blocks.js';
import { EmulatedFunction } from '../device/emulated-function.js';
import { FunctionAssembly, layoutChain, type ChainEntry } from '../device/function-assembly.js';
import { CACHEMEM_OFFSET, CM_CAP_ID } from '../cxl/component-regs.js';
import { DEV_CAP_ID, MB_PAYLOAD_OFFSET } from '../cxl/device-regs.js';
import { CXL_VENDOR_ID, RBI } from '../cxl/dvsec.js';
import { buildCdat, type CdatRange } from '../cxl/cdat.js';
import { MailboxDoorbell, type MailboxRecord } from '../cxl/mailbox-doorbell.js';
import { RasModel, type RasErrorKind, type RasInjection, type RasInjectOptions } from '../cxl/ras-injection.js';
import { DoeMailbox, cdatTableAccess } from '../pci/doe-mailbox.js';
import { MLD_MAX_LOGICAL_DEVICES, nonCxlFunctionMapWords, type Type3Config } from './config.js';
import { TYPE3_PROFILES, type Type3Profile } from './profiles.js';

/** Block kind of the HDM Decoder Capability structure; declared and given commit semantics by emulator/hdm. */
export const HDM_BLOCK_KIND = 'cxl-hdm-decoder';
/** Class code: memory controller (05h), CXL memory device (02h), prog-if 10h (CXL 2.0 8.1.12.1). */
export const CXL_MEMDEV_CLASS = 0x050210;
export const MSIX_VECTORS = 8;
export const COMPONENT_BAR_BYTES = 0x10000;

export interface Type3Device<B extends MailboxBackend = Type3Backend> {
  readonly config: Type3Config;
  readonly profile: Type3Profile;
  /** The function as the bus sees it (also reports the status of its last access). */
  readonly fn: EmulatedFunction;
  /** The mailbox command set and device state (emulator/mailbox createType3Backend unless one was given). */
  readonly backend: B;
  setBackend(b: B): void;
  /** Which block kind sits where in cfg / bar0 / bar2 / bar4. */
  layout(): PlacedBlock[];
  /** Find an instantiated block by kind (first match, optionally in one region). */
  block(kind: string, region?: Region): RegisterBlock | undefined;
  /** Conventional reset: 'warm' keeps sticky bits; 'cold' is power-on. */
  reset(kind: ResetKind): void;
  /**
   * Detect CXL RAS errors as the device would (CXL 2.0 8.2.5.9): unmasked bits set their status bits; masked
   * ones (all of them after reset, 8.2.5.9.2/5) change nothing. Returns the status bits set.
   */
  injectRasError(kind: RasErrorKind, bits: number, header?: Uint8Array): number;
  /** The same injection with the full outcome (set / masked / unmasked bits); `unmask` clears the masks first. */
  injectRas(kind: RasErrorKind, bits: number, opts?: RasInjectOptions): RasInjection;
  /** Observe mailbox commands (for TraceSink.mailbox). */
  onMailbox(listener: ((rec: MailboxRecord) => void) | null): void;
  /** CDAT entries served over DOE: [header, ...structures]. */
  readonly cdat: readonly Uint8Array[];
}

const pow2AtLeast = (n: number): number => 2 ** Math.ceil(Math.log2(Math.max(n, 1)));

/** Memory ranges in DPA order: volatile at DPA 0, persistent after it (as QEMU). */
function memoryRanges(c: Type3Config): CdatRange[] {
  const out: CdatRange[] = [];
  const vol = c.volatileBytes + c.partitionableBytes;
  if (vol > 0) out.push({ handle: 0, dpaBase: 0, dpaLength: vol, nonVolatile: false });
  if (c.persistentBytes > 0) out.push({ handle: out.length, dpaBase: vol, dpaLength: c.persistentBytes, nonVolatile: true });
  return out;
}

/**
 * Build a Type 3 device. Without `backend`, the standard command set (emulator/mailbox createType3Backend) runs
 * behind the mailbox; tests may pass any MailboxBackend (e.g. unsupportedBackend() or a fake).
 */
export function createType3(config: Type3Config, clock: Clock): Type3Device<Type3Backend>;
export function createType3<B extends MailboxBackend>(config: Type3Config, clock: Clock, backend: B): Type3Device<B>;
export function createType3(config: Type3Config, clock: Clock, backend?: MailboxBackend): Type3Device<MailboxBackend> {
  const prof = TYPE3_PROFILES[config.profile] ?? TYPE3_PROFILES.spec;
  const payloadLog2 = Math.min(20, Math.max(8, config.payloadSizeLog2 | 0));
  const payloadBytes = 2 ** payloadLog2;
  const ranges = memoryRanges(config);
  const cdat = buildCdat(ranges, undefined, prof.family === 'qemu' ? 2 : 1);

  // ---- device register (BAR2) layout ----
  const mbAt = prof.mailboxAt(payloadBytes);
  const mdAt = prof.memdevAt(payloadBytes);
  const bar2Bytes = Math.max(0x1000, pow2AtLeast(Math.max(mbAt + MB_PAYLOAD_OFFSET + payloadBytes, mdAt + 8)));

  // ---- config space ----
  const asm = new FunctionAssembly('type3');
  const std: ChainEntry[] = [];
  if (prof.pmAt) std.push({ kind: 'pci-pm', params: {}, at: prof.pmAt });
  std.push({ kind: 'pci-msix', params: { vectors: prof.msixVectors ?? MSIX_VECTORS, tableBir: 4, tableOffset: 0, pbaBir: 4, pbaOffset: 0x800 }, at: prof.msixAt });
  std.push({ kind: 'pci-express', params: { portType: 0, maxSpeed: prof.linkSpeed, maxWidth: prof.linkWidth, maxPayload: 1, ...(prof.pcieQemu72 ? { qemu72: 1 } : {}) }, at: prof.pcieAt });
  const stdPlaced = layoutChain(std, 0x40);

  const range1 = ranges[0]?.dpaLength ?? 0;
  const range2 = ranges[1]?.dpaLength ?? 0;
  // CXL 2.0 8.1.3.1 bit 13 "Multiple Logical Device" and 8.1.8.1 bit 6 "CXL Multi-Logical Device Capable": an
  // MLD says so in both places as well as carrying the MLD DVSEC (8.1.10).
  const mldLds = config.mld ? Math.min(MLD_MAX_LOGICAL_DEVICES, Math.max(1, config.mld.logicalDevices | 0)) : 0;
  const dvsecs: ChainEntry[] = [
    {
      kind: 'dvsec-cxl-device',
      params: {
        revision: prof.dvsecDeviceRevision,
        cap: prof.dvsecDeviceCap(ranges.length) | (mldLds ? 0x2000 : 0),
        ctl: 0x0002,
        status2: prof.dvsecDeviceStatus2,
        range1Bytes: range1,
        range2Bytes: range2,
        initiateStored: prof.family === 'qemu' ? 1 : 0,
      },
    },
    {
      kind: 'dvsec-register-locator',
      params: { count: prof.registerLocatorEntries, bir0: 0, rbi0: RBI.component, offset0: 0, bir1: 2, rbi1: RBI.device, offset1: 0 },
    },
    { kind: 'dvsec-gpf-device', params: { duration: 0x0603, powerMw: 0x33 } },
    ...(prof.flexBus ? [{ kind: 'dvsec-flex-bus', params: { revision: prof.flexBusRevision, cap: 0x26 | (mldLds ? 0x40 : 0), ctl: prof.flexBusCtl, status: 0x26, modTs: prof.family === 'qemu' ? 0xef : 0 } }] : []),
  ];
  // Optional DVSECs, only where configured (DESIGN.md 2: "CXL DVSECs 0, 2, ... 9 as each component needs them").
  if (config.nonCxlFunctions && config.nonCxlFunctions.length > 0) {
    const words = nonCxlFunctionMapWords(config.nonCxlFunctions);
    dvsecs.push({ kind: 'dvsec-non-cxl-function-map', params: Object.fromEntries(words.map((w, i) => [`map${i}`, w])) });
  }
  if (mldLds) dvsecs.push({ kind: 'dvsec-mld', params: { lds: mldLds } });
  const ext: ChainEntry[] = [];
  for (const e of prof.ext) {
    const at = e.at;
    if (e.kind === 'aer') ext.push({ kind: 'pci-aer', params: {}, ...(at !== undefined ? { at } : {}) });
    else if (e.kind === 'dsn') ext.push({ kind: 'pci-dsn', params: { serialLo: Number(config.serial & 0xffff_ffffn), serialHi: Number((config.serial >> 32n) & 0xffff_ffffn) }, ...(at !== undefined ? { at } : {}) });
    else if (e.kind === 'doe') ext.push({ kind: 'pci-doe', params: { irq: prof.doeIrq, msgNum: 0 }, ...(at !== undefined ? { at } : {}) });
    else dvsecs.forEach((d, i) => ext.push(i === 0 && at !== undefined ? { ...d, at } : d));
  }
  const extPlaced = layoutChain(ext, 0x100);

  asm.add('cfg', 0, 'pci-type0-header', {
    ...(prof.ioEnableWritable ? { ioEnableWritable: 1 } : {}),
    vendorId: prof.vendorId,
    deviceId: prof.deviceId,
    revision: prof.revision,
    classCode: CXL_MEMDEV_CLASS,
    subVendorId: prof.subVendorId,
    subId: prof.subId,
    capPtr: stdPlaced[0]?.base ?? 0,
    interruptPin: 0,
    bar0Kind: 2,
    bar0Log2: 16,
    bar2Kind: 2,
    bar2Log2: Math.log2(bar2Bytes),
    bar4Kind: prof.msixBarKind,
    bar4Log2: 12,
  }, CFG_RULES);
  for (const p of [...stdPlaced, ...extPlaced]) asm.add('cfg', p.base, p.kind, p.params, CFG_RULES);

  // ---- BAR0: component registers, CXL.cache/mem at +0x1000 (CXL 2.0 8.2.4) ----
  asm.space('bar0', COMPONENT_BAR_BYTES, CACHEMEM_RULES);
  const hdmParams = { decoders: config.hdmDecoders, endpoint: 1, ...(prof.hdmCapBits !== undefined ? { capBits: prof.hdmCapBits } : {}), ...(prof.hdmTargetCount !== undefined ? { targetCount: prof.hdmTargetCount } : {}) };
  const hasHdm = resolveBlock(HDM_BLOCK_KIND, hdmParams) !== undefined;
  // emulator/hdm registers block kind 'cxl-hdm-decoder' and its commit/lock behaviour (imported above); if a
  // build leaves it out, the array lists RAS and Link only.
  const cmEntries = [
    { id: CM_CAP_ID.ras, ver: prof.rasVersion, ptr: prof.rasAt },
    { id: CM_CAP_ID.link, ver: prof.linkVersion, ptr: prof.linkAt },
    ...(hasHdm ? [{ id: CM_CAP_ID.hdm, ver: prof.hdmVersion, ptr: prof.hdmAt }] : []),
  ];
  const cmParams: Record<string, number> = { count: cmEntries.length };
  cmEntries.forEach((e, i) => Object.assign(cmParams, { [`id${i + 1}`]: e.id, [`ver${i + 1}`]: e.ver, [`ptr${i + 1}`]: e.ptr }));
  asm.add('bar0', CACHEMEM_OFFSET, 'cxl-cm-cap-array', cmParams, CACHEMEM_RULES);
  const ras = asm.add('bar0', CACHEMEM_OFFSET + prof.rasAt, 'cxl-ras', {}, CACHEMEM_RULES)!;
  asm.add('bar0', CACHEMEM_OFFSET + prof.linkAt, 'cxl-link', { version: 2 }, CACHEMEM_RULES);
  if (hasHdm) asm.add('bar0', CACHEMEM_OFFSET + prof.hdmAt, HDM_BLOCK_KIND, hdmParams, CACHEMEM_RULES);

  // ---- BAR2: device registers (CXL 2.0 8.2.8) ----
  asm.space('bar2', bar2Bytes, DEVICE_RULES);
  const devCaps = [
    { id: DEV_CAP_ID.deviceStatus, ver: prof.devStatusVersion, off: prof.devStatusAt, len: 8 },
    { id: DEV_CAP_ID.primaryMailbox, ver: 1, off: mbAt, len: MB_PAYLOAD_OFFSET + payloadBytes },
    { id: DEV_CAP_ID.memdevStatus, ver: 1, off: mdAt, len: 8 },
  ];
  const capParams: Record<string, number> = { count: devCaps.length, type: prof.devCapType };
  devCaps.forEach((c, i) => Object.assign(capParams, { [`id${i + 1}`]: c.id, [`ver${i + 1}`]: c.ver, [`off${i + 1}`]: c.off, [`len${i + 1}`]: c.len }));
  asm.add('bar2', 0, 'cxl-dev-cap-array', capParams, DEVICE_RULES);
  const devStatus = asm.add('bar2', prof.devStatusAt, 'cxl-dev-status', { version: prof.devStatusVersion }, DEVICE_RULES)!;
  const mbRegs = asm.add('bar2', mbAt, 'cxl-mailbox', { payloadLog2, doorbellIrq: 0, bgIrq: prof.mbBgIrq, msgNum: prof.mbMsgNum }, DEVICE_RULES)!;
  const mbPayload = asm.add('bar2', mbAt + MB_PAYLOAD_OFFSET, 'cxl-mailbox-payload', { payloadLog2 }, DEVICE_RULES, { data: true })!;
  const memdev = asm.add('bar2', mdAt, 'cxl-memdev-status', {}, DEVICE_RULES)!;

  // ---- BAR4: MSI-X table + PBA ----
  asm.space('bar4', 0x1000, MSIX_RULES);
  asm.add('bar4', 0, 'pci-msix-table', { vectors: MSIX_VECTORS, pbaOffset: 0x800, size: 0x1000 }, MSIX_RULES);

  // ---- behaviour ----
  let be: MailboxBackend = backend ?? createType3Backend(config, clock);
  const doorbell = new MailboxDoorbell(mbRegs, mbPayload, be, prof.mbLengthBits, prof.mbClearOpcode === true);
  devStatus.onRead(0, (b) => b.set(0, 4, be.eventStatus() >>> 0));
  memdev.onRead(0, (b) =>
    b.set(0, 4, ((be.fatal() ? 1 : 0) | (be.fwHalt() ? 2 : 0) | ((be.mediaStatus() & 3) << 2) | (be.mailboxReady() ? 0x10 : 0) | ((be.resetNeeded() & 7) << 5)) >>> 0),
  );
  const rasModel = new RasModel(ras);

  // CXL 2.0 8.2.5.12.20: an endpoint decoder maps DPA up to the device's capacity; the commit check for "DPA
  // exhausted" needs it even when the device stands alone (no topology around it).
  const hdm = hasHdm ? hdmDecodersOf(findBlock(asm, HDM_BLOCK_KIND, 'bar0')) : undefined;
  if (hdm) hdm.dpaCapacity = () => config.volatileBytes + config.persistentBytes + config.partitionableBytes;
  if (hdm && prof.hdmClearCommit) hdm.clearCommitWhenCommitted = true;

  const dvsec0 = findBlock(asm, 'dvsec-cxl-device', 'cfg')!;
  // CXL 2.0 8.1.3.6: CONFIG_LOCK makes the DVSEC's RWL fields read-only until the next conventional reset.
  dvsec0.onWrite(0x14, (b) => {
    if (b.get(0x14, 2) & 1) b.lock(true);
  });

  // CXL 2.0 8.1.3.8.2: Memory_Active says the range's media is initialised; it follows the backend's media state
  // (Linux cxl_await_media_ready polls it before trusting Memory Device Status).
  ranges.forEach((_r, i) => {
    const lo = i === 0 ? 0x1c : 0x2c;
    dvsec0.onRead(lo, (b) => b.setBits(lo, 4, 2, be.mediaStatus() === 1 ? 2 : 0));
  });

  const doeBlock = findBlock(asm, 'pci-doe', 'cfg')!;
  const doe = new DoeMailbox(doeBlock);
  doe.addProtocol(CXL_VENDOR_ID, 2, cdatTableAccess(cdat));

  const cfg = asm.spaces.get('cfg')!;
  const fn = new EmulatedFunction(cfg, [asm.spaces.get('bar0'), undefined, asm.spaces.get('bar2'), undefined, asm.spaces.get('bar4'), undefined]);

  return {
    config,
    profile: prof,
    fn,
    get backend() {
      return be;
    },
    setBackend(b: MailboxBackend) {
      be = b;
      doorbell.setBackend(b);
    },
    layout: () => asm.layout.map((p) => ({ ...p, ...(p.params ? { params: { ...p.params } } : {}) })),
    block: (kind, region) => findBlock(asm, kind, region),
    reset(kind) {
      for (const s of asm.spaces.values()) s.reset(kind);
      doe.reset();
      const r = (be as { reset?: (k: ResetKind) => void }).reset;
      if (typeof r === 'function') r.call(be, kind);
    },
    injectRasError: (kind, bits, header) => rasModel.inject(kind, bits, header ? { header } : {}).set,
    injectRas: (kind, bits, opts) => rasModel.inject(kind, bits, opts),
    onMailbox(listener) {
      doorbell.listener = listener;
    },
    cdat,
  };
}

function findBlock(asm: FunctionAssembly, kind: string, region?: Region): RegisterBlock | undefined {
  for (const [r, s] of asm.spaces) {
    if (region && r !== region) continue;
    const hit = s.placed.find((p) => p.block.decl.id === kind);
    if (hit) return hit.block;
  }
  return undefined;
}
