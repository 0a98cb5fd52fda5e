import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import { resolveBlock } from '../../emulator/spec/blocks.js';
import { createType3 } from '../../emulator/type3/index.js';
import { defaultType3Config } from '../../emulator/type3/config.js';
import { decodeEvent } from '../../trace/decode.js';
import { acc } from './fixtures.js';

describe('decode against the emulated Type 3 layout (the same tables that implement it)', () => {
  const dev = createType3(defaultType3Config(), new VirtualClock());
  const layout = [{ node: 'ep0', kind: 'type3' as const, blocks: dev.layout() }];
  const payload = dev.layout().find((p) => p.block === 'cxl-mailbox-payload')!;

  it('names an access inside the mailbox payload area by block and offset, not as unknown', () => {
    const d = decodeEvent(acc('ep0', 'bar2', payload.base + 0xc, 'R', 0x424c5843n), layout, resolveBlock);
    expect(d.block).toBe('CXL Mailbox Command Payload');
    expect(d.register).toBe('CXL Mailbox Command Payload +0xc');
  });

  it('still reports offsets outside every block as unknown', () => {
    const d = decodeEvent(acc('ep0', 'bar2', 0xfff0, 'R', 0n), layout, resolveBlock);
    expect(d.register).toBe('(unknown +0xfff0)');
  });

  it('decodes the mailbox doorbell from the device declaration', () => {
    const mb = dev.layout().find((p) => p.block === 'cxl-mailbox')!;
    const d = decodeEvent(acc('ep0', 'bar2', mb.base + 4, 'W', 1n), layout, resolveBlock);
    expect(d.fields.find((f) => f.name.toLowerCase().includes('doorbell'))?.value).toBe(1n);
  });
});
