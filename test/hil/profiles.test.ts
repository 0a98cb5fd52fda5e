import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../common/clock.js';
import type { FunctionModel } from '../../common/function-model.js';
import { createType3, defaultType3Config } from '../../emulator/type3/index.js';
import { EXT_CAP_DOE, SILICON_PROFILES, withSiliconProfile } from '../../hil/sim/profiles.js';
import { packedDeviceMap } from '../../hil/device-map.js';
import { startEtherboneSim } from '../../hil/sim/etherbone-sim.js';
import { EtherboneTcpLink } from '../../hil/etherbone/etherbone-tcp-link.js';
import { HardwareEndpoint } from '../../hil/hardware-endpoint.js';

const type3 = (): FunctionModel => createType3(defaultType3Config(), new VirtualClock()).fn;

function extCapIds(m: FunctionModel): number[] {
  const ids: number[] = [];
  for (let p = 0x100, g = 0; p >= 0x100 && g < 64; g++) {
    const h = m.cfgRead(p, 4) >>> 0;
    if (h === 0 || h === 0xffff_ffff) break;
    ids.push(h & 0xffff);
    p = h >>> 20;
  }
  return ids;
}

/** Offsets found from the model's own capability arrays (CXL 2.0 8.2.8.1, 8.2.5), as the profile does. */
function mailboxControl(m: FunctionModel): number {
  for (let i = 1; i <= 8; i++) if ((m.barRead(2, 16 * i, 4) & 0xffff) === 2) return m.barRead(2, 16 * i + 4, 4) + 4;
  throw new Error('no mailbox');
}
function hdmDecoder0Control(m: FunctionModel): number {
  for (let i = 1; i <= 8; i++) {
    const h = m.barRead(0, 0x1000 + 4 * i, 4);
    if ((h & 0xffff) === 5) return 0x1000 + (h >>> 20) + 0x20;
  }
  throw new Error('no HDM');
}

describe('silicon profiles', () => {
  it("'ideal' is the model itself", () => {
    const m = type3();
    expect(withSiliconProfile(m, 'ideal')).toBe(m);
  });

  it("'rev-a' unlinks DOE from the extended capability chain and keeps the rest in order", () => {
    const ideal = extCapIds(type3());
    const revA = extCapIds(withSiliconProfile(type3(), 'rev-a'));
    expect(ideal).toContain(EXT_CAP_DOE);
    expect(revA).toEqual(ideal.filter((id) => id !== EXT_CAP_DOE));
  });

  it("'rev-a' reset values: Revision ID differs and stays (RO); Interrupt Line differs until written (RW)", () => {
    const base = type3();
    const m = withSiliconProfile(type3(), 'rev-a');
    expect(m.cfgRead(0x08, 1)).toBe(0x0a);
    expect(m.cfgRead(0x08, 4) >>> 8).toBe(base.cfgRead(0x08, 4) >>> 8); // class code untouched
    expect(m.cfgRead(0x3c, 1)).toBe(0xff);
    m.cfgWrite(0x3c, 1, 0x05);
    base.cfgWrite(0x3c, 1, 0x05);
    expect(m.cfgRead(0x3c, 1)).toBe(base.cfgRead(0x3c, 1));
    m.cfgWrite(0x08, 1, 0x33);
    expect(m.cfgRead(0x08, 1)).toBe(0x0a);
  });

  it("'rev-a' mailbox stays busy for the profile's number of polls after a doorbell", () => {
    const ideal = type3();
    const m = withSiliconProfile(type3(), 'rev-a');
    const ctl = mailboxControl(ideal);
    for (const dev of [ideal, m]) dev.barWrite(2, ctl, 4, 1);
    const polls = SILICON_PROFILES['rev-a'].mailboxBusyPolls;
    expect(ideal.barRead(2, ctl, 4) & 1).toBe(0); // the model finishes at once
    expect(polls).toBeGreaterThan(0);
    for (let i = 0; i < polls; i++) expect(m.barRead(2, ctl, 4) & 1).toBe(1);
    expect(m.barRead(2, ctl, 4)).toBe(ideal.barRead(2, ctl, 4));
  });

  it("'rev-a' fails the first HDM commit with Error Not Committed; the second behaves as the model", () => {
    const ideal = type3();
    const m = withSiliconProfile(type3(), 'rev-a');
    const ctl = hdmDecoder0Control(ideal);
    const commit = (ideal.barRead(0, ctl, 4) | (1 << 9)) >>> 0;
    m.barWrite(0, ctl, 4, commit);
    const v = m.barRead(0, ctl, 4);
    expect(v & (1 << 11)).not.toBe(0); // Error Not Committed
    expect(v & (1 << 10)).toBe(0); // not Committed
    m.barWrite(0, ctl, 4, commit & ~(1 << 9));
    m.barWrite(0, ctl, 4, commit);
    ideal.barWrite(0, ctl, 4, commit);
    expect(ideal.barRead(0, ctl, 4) & (1 << 11)).toBe(0); // the model itself commits this programming
    expect(m.barRead(0, ctl, 4)).toBe(ideal.barRead(0, ctl, 4));
  });

  it('a simulated rev-a board shows its deviations through HardwareEndpoint', async () => {
    const served = type3();
    const map = packedDeviceMap(served.barSizes());
    const sim = await startEtherboneSim({ model: served, map, profile: 'rev-a' });
    const link = new EtherboneTcpLink({ host: sim.host, port: sim.port, timeoutMs: 500 });
    await link.open();
    try {
      const ep = new HardwareEndpoint(link, map, 'ep0');
      expect(await ep.cfgRead(0x08, 1)).toBe(0x0a);
      expect(await ep.cfgRead(0x00, 4)).toBe(type3().cfgRead(0x00, 4));
    } finally {
      await link.close();
      await sim.close();
    }
  });
});
