// links.serialPorts: the machine's serial ports (USB-UART bridges of FPGA boards show up here) via the
// serialport package; loaded on first use so the rest of the app does not pay for the native module.

import type { SerialPortInfo } from '../api/contract.js';

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const { SerialPort } = await import('serialport');
  const ports = await SerialPort.list();
  return ports
    .map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
