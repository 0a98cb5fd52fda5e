// links.serialPorts where `udevadm` is missing (containers, minimal images): serialport's SerialPort.list()
// rejects with "spawn udevadm ENOENT", and the call lists the USB/ACM serial device names /dev shows instead.

import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as hilLister from '../../hil/uartbone/serial-ports.js';
import { listSerialPorts as fromUartboneLink } from '../../hil/uartbone/uartbone-link.js';
import { listSerialPorts } from '../../main/links/serial-ports.js';

const dev = mkdtempSync(join(tmpdir(), 'cxl-dev-'));
for (const n of ['ttyUSB1', 'ttyACM0', 'ttyUSB0', 'ttyS0', 'null', 'ttyUSBx', 'ttyAMA3']) writeFileSync(join(dev, n), '');
afterAll(() => rmSync(dev, { recursive: true, force: true }));

const noUdevadm = (): Promise<never> => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' }));

let haveUdevadm = true;
try {
  execSync('command -v udevadm', { stdio: 'ignore' });
} catch {
  haveUdevadm = false;
}

describe('listSerialPorts without udevadm', () => {
  it('lists the USB/ACM/AMA serial devices of the scanned directory, sorted, with null details', async () => {
    const ports = await listSerialPorts({ list: noUdevadm, devDir: dev });
    expect(ports.map((p) => p.path)).toEqual(['ttyACM0', 'ttyAMA3', 'ttyUSB0', 'ttyUSB1'].map((n) => `${dev}/${n}`));
    for (const p of ports) expect(p).toEqual({ path: p.path, manufacturer: null, serialNumber: null, vendorId: null, productId: null });
  });

  it('a directory that cannot be read gives an empty list, not an error', async () => {
    expect(await listSerialPorts({ list: noUdevadm, devDir: join(dev, 'missing') })).toEqual([]);
  });

  it('when enumeration works its details are kept and sorted by path', async () => {
    const ports = await listSerialPorts({
      list: async () => [
        { path: '/dev/ttyUSB1', manufacturer: 'FTDI', serialNumber: 'A1', vendorId: '0403', productId: '6010' },
        { path: '/dev/ttyACM0' },
      ],
      devDir: dev,
    });
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', manufacturer: null, serialNumber: null, vendorId: null, productId: null },
      { path: '/dev/ttyUSB1', manufacturer: 'FTDI', serialNumber: 'A1', vendorId: '0403', productId: '6010' },
    ]);
  });

  it('main/links and hil/uartbone-link hand out the one hil implementation', () => {
    expect(listSerialPorts).toBe(hilLister.listSerialPorts);
    expect(fromUartboneLink).toBe(hilLister.listSerialPorts);
  });

  it('the /dev fallback takes Exar ttyXRUSB and leaves out ttyS and non-numbered names', () => {
    for (const n of ['ttyXRUSB0', 'ttyUSB12', 'ttyACM3', 'ttyAMA0']) expect(hilLister.DEV_SERIAL_NAME.test(n)).toBe(true);
    for (const n of ['ttyS0', 'ttyUSB', 'ttyUSBx', 'null', 'xttyUSB0']) expect(hilLister.DEV_SERIAL_NAME.test(n)).toBe(false);
  });

  it.skipIf(haveUdevadm)('on this machine (no udevadm) the default call resolves to the /dev scan', async () => {
    expect(await listSerialPorts()).toEqual(await listSerialPorts({ list: noUdevadm }));
  });
});
