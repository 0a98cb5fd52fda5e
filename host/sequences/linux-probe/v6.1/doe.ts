// DOE as drivers/pci/doe.c of Linux 6.1 drives it (PCIe 6.0 6.30): pcim_doe_create_mb aborts the mailbox, then
// caches its protocols with Discovery; each exchange checks Status, writes the two header dwords and the request,
// sets Go, polls Data Object Ready, and reads the response a dword at a time, writing the Read Mailbox after
// each (pci_doe_send_req / pci_doe_recv_resp).

import type { Target } from '../../../../common/target.js';

const DOE = { cap: 0x04, ctrl: 0x08, status: 0x0c, write: 0x10, read: 0x14 } as const;
const CTRL_ABORT = 1 << 0;
const CTRL_GO = 1 << 31;
const ST_BUSY = 1 << 0;
const ST_ERROR = 1 << 2;
const ST_READY = 1 << 31;
/** PCI_DOE_TIMEOUT (1 s) over PCI_DOE_POLL_INTERVAL (HZ/128): polls before a task is abandoned. */
const MAX_POLLS = 128;

export interface DoeReply {
  ok: boolean;
  /** Payload dwords read (at most `maxDw`). */
  payload: number[];
  error?: string;
}

/** pci_doe_abort: Abort, then Status until neither Busy nor Error. */
export async function doeAbort(t: Target, off: number, sleep: (ns: number) => Promise<void>): Promise<boolean> {
  await t.cfgWrite(off + DOE.ctrl, 4, CTRL_ABORT);
  for (let i = 0; i < MAX_POLLS; i++) {
    await sleep(7_812_500);
    const st = await t.cfgRead(off + DOE.status, 4);
    if (!(st & ST_ERROR) && !(st & ST_BUSY)) return true;
  }
  return false;
}

/** One task (doe_statemachine_work): send, poll Data Object Ready, receive up to `maxDw` payload dwords. */
export async function doeExchange(t: Target, off: number, vid: number, type: number, request: readonly number[], maxDw: number, sleep: (ns: number) => Promise<void>): Promise<DoeReply> {
  let st = await t.cfgRead(off + DOE.status, 4);
  if (st & ST_BUSY) return { ok: false, payload: [], error: 'busy' };
  if (st & ST_ERROR) return { ok: false, payload: [], error: 'error' };
  await t.cfgWrite(off + DOE.write, 4, (vid & 0xffff) | ((type & 0xff) << 16));
  await t.cfgWrite(off + DOE.write, 4, 2 + request.length);
  for (const dw of request) await t.cfgWrite(off + DOE.write, 4, dw >>> 0);
  await t.cfgWrite(off + DOE.ctrl, 4, CTRL_GO >>> 0);
  for (let polls = 0; ; polls++) {
    st = await t.cfgRead(off + DOE.status, 4);
    if (st & ST_ERROR) return { ok: false, payload: [], error: 'error' };
    if (st & ST_READY) break;
    if (polls >= MAX_POLLS) return { ok: false, payload: [], error: 'timeout' };
    await sleep(7_812_500);
  }
  // pci_doe_recv_resp.
  const h1 = await t.cfgRead(off + DOE.read, 4);
  if ((h1 & 0xffff) !== vid || ((h1 >>> 16) & 0xff) !== type) return { ok: false, payload: [], error: `unexpected header ${h1.toString(16)}` };
  await t.cfgWrite(off + DOE.read, 4, 0);
  const h2 = await t.cfgRead(off + DOE.read, 4);
  await t.cfgWrite(off + DOE.read, 4, 0);
  let length = h2 & 0x3ffff;
  if (!length) length = 1 << 18;
  if (length < 2) return { ok: false, payload: [], error: 'length < 2' };
  length -= 2;
  const n = Math.min(length, maxDw);
  const payload: number[] = [];
  for (let i = 0; i < n; i++) {
    payload.push(await t.cfgRead(off + DOE.read, 4));
    if (i === n - 1 && !((await t.cfgRead(off + DOE.status, 4)) & ST_READY)) return { ok: false, payload, error: 'object not ready' };
    await t.cfgWrite(off + DOE.read, 4, 0);
  }
  for (let i = n; i < length; i++) {
    await t.cfgRead(off + DOE.read, 4);
    await t.cfgWrite(off + DOE.read, 4, 0);
  }
  st = await t.cfgRead(off + DOE.status, 4);
  if (st & ST_ERROR) return { ok: false, payload, error: 'error after read' };
  return { ok: true, payload };
}

/** pcim_doe_create_mb: abort, then Discovery from index 0 until the device answers next index 0. */
export async function doeCreateMailbox(t: Target, off: number, sleep: (ns: number) => Promise<void>): Promise<{ ok: boolean; protocols: Array<{ vid: number; type: number }>; error?: string }> {
  if (!(await doeAbort(t, off, sleep))) return { ok: false, protocols: [], error: 'failed to reset mailbox with abort command' };
  const protocols: Array<{ vid: number; type: number }> = [];
  let index = 0;
  for (let guard = 0; guard < 256; guard++) {
    const r = await doeExchange(t, off, 0x0001, 0x00, [index & 0xff], 1, sleep);
    if (!r.ok || r.payload.length !== 1) return { ok: false, protocols, error: `failed to cache protocols: ${r.error ?? 'short reply'}` };
    const v = r.payload[0]!;
    protocols.push({ vid: v & 0xffff, type: (v >>> 16) & 0xff });
    index = (v >>> 24) & 0xff;
    if (!index) break;
  }
  return { ok: true, protocols };
}

/** CXL Table Access read of one CDAT entry (cxl_cdat_read_table): request handle, reply up to 32 dwords. */
export const CDAT_REQ = (handle: number): number => (0 & 0xff) | ((0 & 0xff) << 8) | ((handle & 0xffff) << 16);
