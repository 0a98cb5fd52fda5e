import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { dumpRegisters } from '../../emulator/spec/dump-registers.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { createType3 } from '../../emulator/type3/type3-device.js';

describe('dumpRegisters', () => {
  it('decodes config space with register names, values and named field values', () => {
    const dev = createType3(defaultType3Config(), new VirtualClock());
    const text = dumpRegisters(dev, 'cfg');
    expect(text).toMatch(/0x0000\s+Vendor ID\s+= 0x1e98/);
    expect(text).toContain('PCIe DVSEC for CXL Devices [dvsec-cxl-device] (CXL 2.0 8.1.3)');
    expect(text).toMatch(/\[0\]\s+Memory_Info_Valid = 1/);
  });

  it('shows live device-register values and decodes named values', () => {
    const dev = createType3(defaultType3Config(), new VirtualClock());
    const text = dumpRegisters(dev, 'bar2');
    expect(text).toMatch(/\[3:2\]\s+Media Status = 1 \(Ready\)/);
    expect(text).toMatch(/\[4\]\s+Mailbox Interfaces Ready = 1/);
    expect(text).toContain('bytes of data, not shown');
    expect(dumpRegisters(dev, 'bar0')).toMatch(/CXL_Capability_ID = 0x1/);
  });
});
