// QEMU's CXL devices onto our nodes by role and bus order; the log cut down to those devices for import.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapQemuDevices } from '../../host/core/qemu-roles.js';
import { scanQemuDevices } from '../../trace/formats/qemu-devices.js';
import { builtinLayout } from '../../main/compare/topology-layout.js';

const fixture = readFileSync(new URL('../fixtures/qemu-7.2-seabios-cxl.log', import.meta.url), 'utf8');

// A switch topology as QEMU traces it (device names and BDFs as a capture with cxl-upstream/cxl-downstream has them).
const switchLog = [
  'pci_cfg_read cxl-downstream 0f:01.0 @0x0 -> 0xa1291e95',
  'pci_cfg_read cxl-rp 0c:00.0 @0x0 -> 0x70758086',
  'pci_cfg_read cxl-type3 11:00.0 @0x0 -> 0xd938086',
  'pci_cfg_read cxl-upstream 0d:00.0 @0x0 -> 0xa1281e95',
  'pci_cfg_read cxl-downstream 0f:00.0 @0x0 -> 0xa1291e95',
  'pci_cfg_read cxl-type3 10:00.0 @0x0 -> 0xd938086',
].join('\n');

describe('QEMU devices by role', () => {
  it('finds every device the pci_cfg lines name, in bus order', () => {
    expect(scanQemuDevices(fixture)).toEqual([
      { name: 'mch', bdf: '00:00.0' },
      { name: 'pxb-cxl', bdf: '00:03.0' },
      { name: 'cxl-rp', bdf: '0c:00.0' },
      { name: 'cxl-type3', bdf: '0d:00.0' },
    ]);
  });

  it('maps the n-th device of a role to the n-th node of that kind (switch4: DSPs and devices by bus)', () => {
    const m = mapQemuDevices(scanQemuDevices(switchLog), builtinLayout('switch4'));
    expect(m.devices).toEqual({
      'cxl-rp@0c:00.0': 'hb0.rp0',
      'cxl-upstream@0d:00.0': 'hb0.rp0.sw0.usp',
      'cxl-downstream@0f:00.0': 'hb0.rp0.sw0.dsp0',
      'cxl-downstream@0f:01.0': 'hb0.rp0.sw0.dsp1',
      'cxl-type3@10:00.0': 'hb0.rp0.sw0.dsp0.ep0',
      'cxl-type3@11:00.0': 'hb0.rp0.sw0.dsp1.ep0',
    });
    expect(m.unmapped).toEqual([]);
  });

  it('leaves out devices of no CXL role and more devices than nodes; an explicit pair wins', () => {
    const m = mapQemuDevices(scanQemuDevices(switchLog), builtinLayout('single'), { '11:00.0': 'hb0.rp0.ep0' });
    expect(m.devices['cxl-type3@11:00.0']).toBe('hb0.rp0.ep0');
    expect(m.unmapped.map((d) => d.bdf).sort()).toEqual(['0d:00.0', '0f:00.0', '0f:01.0']);
    const f = mapQemuDevices(scanQemuDevices(fixture), builtinLayout('single'));
    expect(f.unmapped).toEqual([{ name: 'mch', bdf: '00:00.0' }]);
  });
});
