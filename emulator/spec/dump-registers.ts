// Decoded register text for one space of an emulated function (the `cxl-bench regs` CLI prints it). Reads go
// through the software path, so live status registers show what a host would read now.

import type { Region } from '../../common/access.js';
import type { PlacedBlock } from '../../common/layout.js';
import type { RegisterBlock } from '../regs/register-block.js';
import type { FieldDecl, RegisterDecl } from '../regs/types.js';

/** What the dump needs of a device: its layout and its instantiated blocks (Type3Device has both). */
export interface DumpableFunction {
  layout(): PlacedBlock[];
  block(kind: string, region?: Region): RegisterBlock | undefined;
}

const hex = (v: bigint | number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0');

function readReg(b: RegisterBlock, r: RegisterDecl): bigint {
  const ok = (b.rules.widths & (1 << r.width)) !== 0;
  if (r.width === 8) return ok ? b.read64(r.offset) : b.get64(r.offset);
  const w = r.width as 1 | 2 | 4;
  return BigInt(ok ? b.read(r.offset, w) : b.get(r.offset, w));
}

function fieldLine(f: FieldDecl, value: bigint): string {
  const [hi, lo] = f.bits;
  const v = (value >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
  const bits = hi === lo ? `[${lo}]` : `[${hi}:${lo}]`;
  const named = f.values?.[Number(v)];
  return `      ${bits.padEnd(8)} ${f.name} = ${hi - lo >= 4 ? hex(v, 1) : v.toString()}${named ? ` (${named})` : ''}  ${f.access}  ${f.desc}`;
}

/** Decode every register of every block placed in `space` ('cfg', 'bar0', 'bar2', ...). */
export function dumpRegisters(device: DumpableFunction, space: Region): string {
  const lines: string[] = [];
  const placed = device.layout().filter((p) => p.region === space).sort((a, b) => a.base - b.base);
  for (const p of placed) {
    const b = device.block(p.block, p.region);
    if (!b) continue;
    lines.push(`${space} ${hex(p.base, 4)}  ${b.decl.name} [${p.block}]${b.decl.spec ? ` (${b.decl.spec})` : ''}`);
    if (b.decl.registers.length === 0) {
      lines.push(`    ${b.size} bytes of data, not shown`);
      continue;
    }
    for (const r of b.decl.registers) {
      const v = readReg(b, r);
      lines.push(`    ${hex(p.base + r.offset, 4)}  ${r.name.padEnd(44)} = ${hex(v, 2 * r.width)}`);
      for (const f of r.fields) if (f.access !== 'RsvdP' && f.access !== 'RsvdZ' && r.fields.length > 1) lines.push(fieldLine(f, v));
    }
  }
  return lines.join('\n');
}
