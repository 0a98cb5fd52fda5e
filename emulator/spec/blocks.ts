// The registry of register block kinds: ONE source of truth for register layouts (DESIGN.md 2, 5). The emulator
// instantiates blocks from these declarations; trace decode and the register explorer call `resolveBlock` with
// the (id, params) a PlacedBlock carries (common/layout.ts) and get the same declaration back.
//
// The PCI and CXL builders of emulator/pci and emulator/cxl are built in (table below) and emulator/hdm is
// imported here, so importing this module is enough to resolve every kind; other areas (topology) call
// `registerBlockKind` for theirs when their module loads.

import type { BlockDecl } from '../regs/types.js';
import { kinds, type BlockBuilder, type BlockParams } from './registry.js';
import { aerCapDecl, doeCapDecl, dsnCapDecl } from '../pci/ext-capabilities.js';
import { msixCapDecl, msixTableDecl, pcieCapDecl, pmCapDecl } from '../pci/capabilities.js';
import { type0HeaderDecl } from '../pci/type0-header.js';
import {
  dvsecDeviceDecl,
  dvsecFlexBusDecl,
  dvsecGpfDeviceDecl,
  dvsecGpfPortDecl,
  dvsecMldDecl,
  dvsecNonCxlFunctionMapDecl,
  dvsecPortExtensionsDecl,
  dvsecRegisterLocatorDecl,
} from '../cxl/dvsec.js';
import { cmCapArrayDecl, linkCapDecl, rasCapDecl } from '../cxl/component-regs.js';
import { devCapArrayDecl, devStatusDecl, mailboxPayloadDecl, mailboxRegsDecl, memdevStatusDecl } from '../cxl/device-regs.js';
// Last: emulator/hdm registers 'cxl-hdm-decoder' (declaration + commit behaviour) through this module.
import '../hdm/index.js';

export type { BlockBuilder, BlockParams } from './registry.js';

const BUILTIN: readonly [string, BlockBuilder][] = [
  ['pci-type0-header', type0HeaderDecl],
  ['pci-pm', pmCapDecl],
  ['pci-msix', msixCapDecl],
  ['pci-msix-table', msixTableDecl],
  ['pci-express', pcieCapDecl],
  ['pci-aer', aerCapDecl],
  ['pci-dsn', dsnCapDecl],
  ['pci-doe', doeCapDecl],
  ['dvsec-cxl-device', dvsecDeviceDecl],
  ['dvsec-non-cxl-function-map', dvsecNonCxlFunctionMapDecl],
  ['dvsec-port-extensions', dvsecPortExtensionsDecl],
  ['dvsec-gpf-port', dvsecGpfPortDecl],
  ['dvsec-gpf-device', dvsecGpfDeviceDecl],
  ['dvsec-flex-bus', dvsecFlexBusDecl],
  ['dvsec-register-locator', dvsecRegisterLocatorDecl],
  ['dvsec-mld', dvsecMldDecl],
  ['cxl-cm-cap-array', cmCapArrayDecl],
  ['cxl-ras', rasCapDecl],
  ['cxl-link', linkCapDecl],
  ['cxl-dev-cap-array', devCapArrayDecl],
  ['cxl-dev-status', devStatusDecl],
  ['cxl-mailbox', mailboxRegsDecl],
  ['cxl-mailbox-payload', mailboxPayloadDecl],
  ['cxl-memdev-status', memdevStatusDecl],
];
for (const [id, b] of BUILTIN) if (!kinds.has(id)) kinds.set(id, b);

/** Register (or replace) the builder of a block kind. */
export function registerBlockKind(id: string, builder: BlockBuilder): void {
  kinds.set(id, builder);
}

/** The declaration of block kind `id` shaped by `params`, or undefined for an unknown kind. Never throws. */
export function resolveBlock(id: string, params: BlockParams = {}): BlockDecl | undefined {
  const b = kinds.get(id);
  if (!b) return undefined;
  try {
    return b(params);
  } catch {
    return undefined;
  }
}

/** Every registered kind id (for the UI's block picker and for tests). */
export function blockKinds(): string[] {
  return [...kinds.keys()].sort();
}
