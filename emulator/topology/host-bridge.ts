// A CXL 2.0 host bridge as the platform sees it: not a PCI function, but a 64 KiB component register block
// (CHBCR, CXL 2.0 8.2.3 / 9.14.1.2) at the address its CHBS names, holding the Link capability and, unless the
// bridge passes through to a single root port, the HDM decoders that pick a root port (linux-probe.md 1).

import type { PlacedBlock } from '../../common/layout.js';
import '../hdm/index.js';
import { hdmDecodersOf, type HdmDecoders } from '../hdm/hdm-decoders.js';
import { FunctionAssembly } from '../device/function-assembly.js';
import type { RegisterSpace } from '../regs/register-space.js';
import type { ResetKind } from '../regs/register-block.js';
import { addComponentRegisters } from './component-layout.js';
import type { HostBridgeNode } from './types.js';

export interface HostBridgeRegs {
  readonly chbcr: RegisterSpace;
  readonly hdm: HdmDecoders | null;
  layout(): PlacedBlock[];
  reset(kind: ResetKind): void;
}

export function createHostBridgeRegs(node: HostBridgeNode, commitPolls = 0): HostBridgeRegs {
  const asm = new FunctionAssembly('host-bridge');
  const block = addComponentRegisters(asm, 'chbcr', { ras: false, link: true, hdmDecoders: node.decoders, targetCount: node.targetCount });
  const hdm = hdmDecodersOf(block) ?? null;
  if (hdm) hdm.commitPolls = commitPolls;
  const chbcr = asm.spaces.get('chbcr')!;
  return {
    chbcr,
    hdm,
    layout: () => asm.layout.filter((p) => p.region === 'chbcr').map((p) => ({ ...p, ...(p.params ? { params: { ...p.params } } : {}) })),
    reset: (kind) => chbcr.reset(kind),
  };
}
