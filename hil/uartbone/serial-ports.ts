// The machine's serial ports (USB-UART bridges of FPGA boards show up here) via the serialport package, loaded
// on first use so callers that never list ports do not pay for the native module. On Linux, SerialPort.list()
// asks `udevadm`; where that is missing (containers, minimal images) the /dev names of USB, ACM, Raspberry Pi
// PL011 (AMA) and Exar (XRUSB) serial devices are listed instead, without vendor details. ttyS* are left out:
// every PC has 4..32 of them whether wired or not. The one implementation; main/links/serial-ports.ts re-exports it.

import { readdirSync } from 'node:fs';

export interface SerialPortSummary {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
}

/** /dev names offered when enumeration fails. */
export const DEV_SERIAL_NAME = /^tty(USB|ACM|AMA|XRUSB)\d+$/;

export type RawPortInfo = { path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string };

export interface ListSerialPortsOptions {
  /** Port enumeration (default: serialport's SerialPort.list, which spawns `udevadm` on Linux). */
  list?: () => Promise<RawPortInfo[]>;
  /** Directory scanned when enumeration fails (default /dev). */
  devDir?: string;
}

function devScan(devDir: string): SerialPortSummary[] {
  let names: string[] = [];
  try {
    names = readdirSync(devDir).filter((n) => DEV_SERIAL_NAME.test(n));
  } catch {
    // no /dev (Windows): nothing to list
  }
  return names.map((n) => ({ path: `${devDir}/${n}`, manufacturer: null, serialNumber: null, vendorId: null, productId: null }));
}

/** Serial ports sorted by path; the /dev scan rather than an error when enumeration fails. */
export async function listSerialPorts(opts: ListSerialPortsOptions = {}): Promise<SerialPortSummary[]> {
  let ports: SerialPortSummary[];
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
