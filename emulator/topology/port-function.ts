// Root ports and switch ports as PCI-to-PCI bridge functions (PCIe Base 7.5.1.3), composed from the block
// registry like every other function: type-1 header, PCI Express capability with the port type and number,
// AER, then the CXL DVSECs a port carries (CXL 2.0 8.1.5 Extensions for Ports, 8.1.6 GPF for Ports on root and
// downstream ports, 8.2.1.3 Flex Bus Port, 8.1.9 Register Locator), and BAR0 with the component registers:
// RAS and Link everywhere, HDM decoders on the upstream port (CXL 2.0 8.2.5.12: root ports and downstream
// ports do not decode HDM; the host bridge and the switch USP do).

import type { PlacedBlock } from '../../common/layout.js';
import '../hdm/index.js';
import { hdmDecodersOf, type HdmDecoders } from '../hdm/hdm-decoders.js';
import { CFG_RULES } from '../regs/access-rules.js';
import type { RegisterBlock, ResetKind } from '../regs/register-block.js';
import { EmulatedFunction } from '../device/emulated-function.js';
import { FunctionAssembly, layoutChain, type ChainEntry } from '../device/function-assembly.js';
import { RBI } from '../cxl/dvsec.js';
import { PORT_TYPE } from '../pci/ids.js';
import { addComponentRegisters } from './component-layout.js';
import { TYPE1_BLOCK_ID } from './type1-header.js';

export type PortRole = 'root-port' | 'switch-usp' | 'switch-dsp';

/** PCI IDs QEMU uses for its CXL ports (qemu-cxl.md 1), so enumeration traces line up. */
const IDS: Readonly<Record<PortRole, { vendorId: number; deviceId: number; portType: number }>> = {
  'root-port': { vendorId: 0x8086, deviceId: 0x7075, portType: PORT_TYPE.rootPort },
  'switch-usp': { vendorId: 0x19e5, deviceId: 0xa128, portType: PORT_TYPE.switchUp },
  'switch-dsp': { vendorId: 0x19e5, deviceId: 0xa129, portType: PORT_TYPE.switchDown },
};

export interface PortFunctionOptions {
  role: PortRole;
  /** Port number (PCIe Link Capabilities [31:24]): what decoder target lists name. */
  portNumber: number;
  /** USP only: HDM decoders and targets per decoder. */
  hdmDecoders?: number;
  targetCount?: number;
  /** Reads of a decoder Control register before a commit shows (HdmDecoderOptions.commitPolls). */
  commitPolls?: number;
}

export interface PortFunction {
  readonly role: PortRole;
  readonly portNumber: number;
  readonly fn: EmulatedFunction;
  /** The type-1 header block (bus numbers, windows, command) for the bus model. */
  readonly header: RegisterBlock;
  readonly hdm: HdmDecoders | null;
  layout(): PlacedBlock[];
  reset(kind: ResetKind): void;
}

export function createPortFunction(o: PortFunctionOptions): PortFunction {
  const id = IDS[o.role];
  const asm = new FunctionAssembly(o.role);
  const downstream = o.role !== 'switch-usp';
  const std = layoutChain(
    [{ kind: 'pci-express', params: { portType: id.portType, maxSpeed: 5, maxWidth: 16, portNumber: o.portNumber, slot: downstream ? 1 : 0 } }],
    0x40,
  );
  const ext: ChainEntry[] = [
    { kind: 'pci-aer', params: {} },
    { kind: 'dvsec-port-extensions', params: { status: o.role === 'switch-usp' ? 1 : 0 } },
    ...(downstream ? [{ kind: 'dvsec-gpf-port', params: { phase1: 1, phase2: 1 } }] : []),
    // Flex Bus: IO, Mem and CXL 2.0 (68B flit/VH) capable and negotiated (CXL 2.0 8.2.1.3; QEMU 0x26).
    { kind: 'dvsec-flex-bus', params: { revision: 1, cap: 0x26, ctl: 0x26, status: 0x26, ctlWritable: downstream ? 1 : 0 } },
    { kind: 'dvsec-register-locator', params: { count: 1, bir0: 0, rbi0: RBI.component, offset0: 0 } },
  ];
  const extPlaced = layoutChain(ext, 0x100);
  const header = asm.add('cfg', 0, TYPE1_BLOCK_ID, { vendorId: id.vendorId, deviceId: id.deviceId, revision: 1, capPtr: std[0].base, bar0Log2: 16 }, CFG_RULES)!;
  for (const p of [...std, ...extPlaced]) asm.add('cfg', p.base, p.kind, p.params, CFG_RULES);
  const hdmBlock = addComponentRegisters(asm, 'bar0', {
    ras: true,
    link: true,
    hdmDecoders: o.role === 'switch-usp' ? (o.hdmDecoders ?? 4) : 0,
    targetCount: o.targetCount ?? 8,
  });
  const hdm = hdmDecodersOf(hdmBlock) ?? null;
  if (hdm && o.commitPolls) hdm.commitPolls = o.commitPolls;
  const fn = new EmulatedFunction(asm.spaces.get('cfg')!, [asm.spaces.get('bar0')]);
  return {
    role: o.role,
    portNumber: o.portNumber,
    fn,
    header,
    hdm,
    layout: () => asm.layout.map((p) => ({ ...p, ...(p.params ? { params: { ...p.params } } : {}) })),
    reset(kind) {
      for (const s of asm.spaces.values()) s.reset(kind);
    },
  };
}
