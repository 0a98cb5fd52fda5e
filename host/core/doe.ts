// DOE (PCIe Base 6.0 6.30 / 7.9.24) and CDAT reads through the CXL Table Access protocol (CXL 2.0 8.1.11),
// as Linux drivers/pci/doe.c and drivers/cxl/core/pci.c (read_cdat_data) use them. One request at a time,
// polled with the run's sleep; a 1 s timeout per exchange (PCI_DOE_TIMEOUT = HZ).

import type { Target } from '../../common/target.js';
import { NS_PER_MS, NS_PER_S } from '../../common/clock.js';
import { CXL_VENDOR_ID, EXT_CAP, pciExtCapabilities } from './pci.js';

export const DOE = { cap: 0x04, ctrl: 0x08, status: 0x0c, write: 0x10, read: 0x14 } as const;
const CTRL_GO = 1 << 31;
const CTRL_ABORT = 1 << 0;
const STATUS_BUSY = 1 << 0;
const STATUS_ERROR = 1 << 2;
const STATUS_READY = 1 << 31;
export const DOE_TIMEOUT_NS = NS_PER_S;

export interface DoeExchange {
  ok: boolean;
  response: number[];
  error?: string;
}

export async function doeExchange(t: Target, pos: number, request: readonly number[], sleep: (ns: number) => Promise<void>): Promise<DoeExchange> {
  let st = await t.cfgRead(pos + DOE.status, 4);
  if (st & STATUS_ERROR) {
    await t.cfgWrite(pos + DOE.ctrl, 4, CTRL_ABORT);
    st = await t.cfgRead(pos + DOE.status, 4);
  }
  if (st & STATUS_BUSY) return { ok: false, response: [], error: `DOE busy (status ${st >>> 0})` };
  for (const dw of request) await t.cfgWrite(pos + DOE.write, 4, dw >>> 0);
  await t.cfgWrite(pos + DOE.ctrl, 4, CTRL_GO);
  let waited = 0;
  for (;;) {
    st = await t.cfgRead(pos + DOE.status, 4);
    if (st & STATUS_ERROR) return { ok: false, response: [], error: 'DOE error bit set' };
    if (st & STATUS_READY) break;
    if (waited >= DOE_TIMEOUT_NS) return { ok: false, response: [], error: 'DOE response timeout' };
    await sleep(NS_PER_MS);
    waited += NS_PER_MS;
  }
  const h0 = await t.cfgRead(pos + DOE.read, 4);
  await t.cfgWrite(pos + DOE.read, 4, 0);
  const h1 = await t.cfgRead(pos + DOE.read, 4);
  await t.cfgWrite(pos + DOE.read, 4, 0);
  let len = h1 & 0x3ffff;
  if (len === 0) len = 0x40000;
  const response = [h0, h1];
  for (let i = 2; i < Math.min(len, 4096); i++) {
    response.push(await t.cfgRead(pos + DOE.read, 4));
    await t.cfgWrite(pos + DOE.read, 4, 0);
  }
  return { ok: true, response };
}

/** DOE capabilities of a function that answer the CXL Table Access protocol (discovery index walk). */
export async function doeFindCdatMailbox(t: Target, sleep: (ns: number) => Promise<void>): Promise<number> {
  for (const c of await pciExtCapabilities(t)) {
    if (c.id !== EXT_CAP.doe) continue;
    for (let index = 0, guard = 0; guard < 16; guard++) {
      const r = await doeExchange(t, c.offset, [0x0001, 3, index], sleep);
      if (!r.ok || r.response.length < 3) break;
      const dw = r.response[2]!;
      if ((dw & 0xffff) === CXL_VENDOR_ID && ((dw >>> 16) & 0xff) === 2) return c.offset;
      index = (dw >>> 24) & 0xff;
      if (index === 0) break;
    }
  }
  return 0;
}

export interface CdatRead {
  ok: boolean;
  bytes: Uint8Array;
  entries: number;
  error?: string;
}

/**
 * cxl_cdat_get_length (Linux core/pci.c): one Read Entry of handle 0, whose first entry dword is the CDAT header's
 * Length; Linux sizes its buffer from it before reading the table. null when the exchange fails or is short.
 */
export async function cdatGetLength(t: Target, pos: number, sleep: (ns: number) => Promise<void>): Promise<number | null> {
  const r = await doeExchange(t, pos, [(2 << 16) | CXL_VENDOR_ID, 3, 0], sleep);
  if (!r.ok || r.response.length < 4) return null;
  return r.response[3]! >>> 0;
}

/** Read the whole CDAT, entry by entry from handle 0, until the next handle is 0xFFFF. */
export async function cdatRead(t: Target, pos: number, sleep: (ns: number) => Promise<void>): Promise<CdatRead> {
  const parts: number[] = [];
  let handle = 0;
  let entries = 0;
  while (entries < 1024) {
    const r = await doeExchange(t, pos, [(2 << 16) | CXL_VENDOR_ID, 3, handle << 16], sleep);
    if (!r.ok) return { ok: false, bytes: new Uint8Array(0), entries, error: r.error };
    const dw = r.response[2] ?? 0;
    if ((dw & 0xff) !== 0) return { ok: false, bytes: new Uint8Array(0), entries, error: `response code ${dw & 0xff}` };
    parts.push(...r.response.slice(3));
    entries++;
    handle = dw >>> 16;
    if (handle === 0xffff) break;
  }
  const bytes = new Uint8Array(parts.length * 4);
  parts.forEach((d, i) => {
    for (let k = 0; k < 4; k++) bytes[4 * i + k] = (d >>> (8 * k)) & 0xff;
  });
  const declared = bytes.length >= 4 ? (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0 : 0;
  return { ok: true, bytes: bytes.subarray(0, Math.min(declared || bytes.length, bytes.length)), entries };
}

/** CDAT checksum: all bytes of the table sum to 0 mod 256 (CDAT spec 1.0). */
export const cdatChecksumOk = (b: Uint8Array): boolean => b.reduce((s, x) => (s + x) & 0xff, 0) === 0;
