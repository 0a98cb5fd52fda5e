// links.serialPorts: the machine's serial ports (USB-UART bridges of FPGA boards show up here) via the
// serialport package, loaded on first use so the rest of the app does not pay for the native module. On Linux,
// SerialPort.list() asks `udevadm`; where that is missing (containers, minimal images) the /dev names of USB
// and ACM serial devices are listed instead, without vendor details.

import { readdirSync } from 'node:fs';
import type { SerialPortInfo } from '../api/contract.js';

const DEV_SERIAL = /^tty(USB|ACM|AMA|XRUSB)\d+$/;

function devScan(devDir: string): SerialPortInfo[] {
  let names: string[] = [];
  try {
    names = readdirSync(devDir).filter((n) => DEV_SERIAL.test(n));
  } catch {
    // no /dev (Windows): nothing to list
  }
  return names.map((n) => ({ path: `${devDir}/${n}`, manufacturer: null, serialNumber: null, vendorId: null, productId: null }));
}

type RawPortInfo = { path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string };

export interface ListSerialPortsOptions {
  /** Port enumeration (default: serialport's SerialPort.list, which spawns `udevadm` on Linux). */
  list?: () => Promise<RawPortInfo[]>;
  /** Directory scanned when enumeration fails (default /dev). */
  devDir?: string;
}

export async function listSerialPorts(opts: ListSerialPortsOptions = {}): Promise<SerialPortInfo[]> {
  let ports: SerialPortInfo[];
  try {
    let raw: RawPortInfo[];
    if (opts.list) raw = await opts.list();
    else {
      const { SerialPort } = await import('serialport');
      raw = await SerialPort.list();
    }
    ports = raw.map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
    }));
  } catch {
    // e.g. "spawn udevadm ENOENT": list what /dev shows rather than fail the call.
    ports = devScan(opts.devDir ?? '/dev');
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path));
}
