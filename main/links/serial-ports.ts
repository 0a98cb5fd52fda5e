// links.serialPorts: the machine's serial ports (USB-UART bridges of FPGA boards show up here) via the
// serialport package, loaded on first use so the rest of the app does not pay for the native module. On Linux,
// SerialPort.list() asks `udevadm`; where that is missing (containers, minimal images) the /dev names of USB
// and ACM serial devices are listed instead, without vendor details.

import { readdirSync } from 'node:fs';
import type { SerialPortInfo } from '../api/contract.js';

const DEV_SERIAL = /^tty(USB|ACM|AMA|XRUSB)\d+$/;

function devScan(): SerialPortInfo[] {
  let names: string[] = [];
  try {
    names = readdirSync('/dev').filter((n) => DEV_SERIAL.test(n));
  } catch {
    // no /dev (Windows): nothing to list
  }
  return names.map((n) => ({ path: `/dev/${n}`, manufacturer: null, serialNumber: null, vendorId: null, productId: null }));
}

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  let ports: SerialPortInfo[];
  try {
    const { SerialPort } = await import('serialport');
    ports = (await SerialPort.list()).map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    }));
  } catch {
    ports = devScan();
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path));
}
