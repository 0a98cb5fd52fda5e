/**
 * The register engine (DESIGN.md 2). How to use it:
 *
 * 1. Declare a block as data (types.ts; helpers in decl.ts: `block`, `reg`, `field`, `bit`, `rsvdP`, `roReg`):
 *      const decl = block('my-cap', 'My Capability', 0x10, [
 *        reg('Control', 0x0, 4, [bit('Enable', 0, 'RW', 'Turns it on'), bit('Lock', 1, 'RWO', 'Locks'),
 *                                field('Base', [31, 28], 'RWL', 'Base[31:28]'), rsvdP(27, 2)]),
 *        reg('Status', 0x4, 4, [bit('Error', 0, 'RW1CS', 'Sticky error')])], 'CXL 2.0 8.2.x');
 *    Register the kind with `registerBlockKind(id, builder)` from emulator/spec/blocks.ts so traces and the UI
 *    can decode it (ONE source of truth for layouts).
 *
 * 2. Instantiate: `const b = new RegisterBlock(decl, CACHEMEM_RULES)` (or CFG_RULES / DEVICE_RULES / MSIX_RULES).
 *    The engine derives write / write-1-to-clear / sticky / RWL / RWO / reserved masks and the reset image.
 *
 * 3. Software path (what the host does; masks, rules and hooks apply, never throws):
 *      b.read(off, 1|2|4): number      b.write(off, 1|2|4, value)
 *      b.read64(off): bigint           b.write64(off, value)
 *    After each call `b.lastOk` is false when the rules rejected the access (width/alignment): reads return 0
 *    (cache/mem, as QEMU) or all-ones (config space), writes are dropped; trace it as 'bad-access'.
 *    RsvdP/RsvdZ bits and undeclared bytes read 0 and ignore writes. RW1C bits clear on a written 1. RWO fields
 *    become read-only once a 1 is written to them (writing 0 spends nothing), until reset. RWL bits are read-only while locked: `b.lock(true, start?, end?)`.
 *
 * 4. Model path (the device's own view, bypasses masks and hooks; reserved bits stay 0):
 *      b.get(off, w) / b.set(off, w, v) / b.setBits(off, w, mask, v) / b.get64 / b.set64 / b.setBytes
 *
 * 5. Behaviour: `b.onWrite(regOffsetOrName, (blk, reg, lo, hi, accessOff, width) => ...)` runs after software
 *    wrote any byte of that register (doorbell, commit, DOE Go); `b.onRead(reg, (blk, reg) => blk.set(...))`
 *    refreshes live status before a read. `b.reset('cold'|'warm')`: warm keeps sticky bits (RWS/RW1CS).
 *
 * 6. A function's address space (cfg, a BAR, a CHBCR) is a `RegisterSpace(size, gapRules)` with blocks
 *    `place(base, block)`d in it; `space.read/write/read64/write64` route by offset with one typed-array lookup
 *    and leave `space.status` = 0 ok / 1 unclaimed (outside the space: all-ones) / 2 bad-access — the codes of
 *    common/access.ts STATUSES, ready for TraceSink.access.
 */

export * from './types.js';
export * from './access-rules.js';
export * from './decl.js';
export { compileMasks, type BlockMasks } from './masks.js';
export { RegisterBlock, type ReadHook, type WriteHook, type ResetKind } from './register-block.js';
export { RegisterSpace, STATUS_OK, STATUS_UNCLAIMED, STATUS_BAD_ACCESS, type Placed } from './register-space.js';
