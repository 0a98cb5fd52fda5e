// How long an emulated access takes, per device profile, so an emulated run's trace has a time axis comparable
// with a hardware run's (issue 15, finding 2). The emulator is synchronous; these figures only move the trace's
// clock (latency-clock.ts) after each access. The figures are typical values, not yet measured against a capture
// with real time stamps (QEMU's trace log has them: test/fixtures/qemu-linux, issue 11).
//
// What each figure stands for (ns from the host issuing the access to its completion, as a trace stamps it):
// - config cycle: an ECAM read is a non-posted MMIO read that the root complex turns into a config TLP and
//   waits for its completion — about 1 µs on current servers (DESIGN.md 7: "real PCIe MMIO reads take ~1 µs");
//   a config write is non-posted too (PCIe Base 2.2.7), so it waits as long.
// - MMIO (BAR) read: a non-posted memory read round trip, ~1 µs; a posted write retires in the CPU's write
//   path in ~0.1 µs.
// - CXL.mem: a load through a host bridge to a directly attached Type 3 device is ~250 ns more than local DRAM
//   (CXL consortium and vendor figures for a x16 link); stores post.
// - mailbox command execution: the device's firmware time from doorbell to completion for an immediate
//   command (background ones report their own duration, emulator/mailbox/state/background.ts).
// 'qemu' reproduces what a QEMU guest's trace shows: QEMU's cxl-type3 runs each command inside the doorbell
// write (hw/cxl/cxl-device-utils.c), so execution adds nothing; accesses are TCG exits, not PCIe round trips.

export interface LatencyModel {
  /** What the figures stand for (shown with the profile). */
  readonly reproduces: string;
  readonly cfgReadNs: number;
  readonly cfgWriteNs: number;
  readonly mmioReadNs: number;
  readonly mmioWriteNs: number;
  readonly memReadNs: number;
  readonly memWriteNs: number;
  /** An immediate mailbox command's execution, doorbell to completion. */
  readonly mailboxNs: number;
  /** Per-opcode execution where it differs (e.g. Identify formats a larger payload). */
  readonly mailboxOpNs?: Readonly<Record<number, number>>;
}

export const LATENCY_MODELS = {
  spec: {
    reproduces: 'a PCIe Gen5 x16 CXL 2.0 Type 3 device behind a server root complex (typical round trips)',
    cfgReadNs: 1000,
    cfgWriteNs: 1000,
    mmioReadNs: 1000,
    mmioWriteNs: 100,
    memReadNs: 250,
    memWriteNs: 100,
    mailboxNs: 20_000,
    mailboxOpNs: { 0x4000: 50_000, 0x0401: 30_000 }, // Identify Memory Device, Get Supported Logs (CEL) build payloads
  },
  qemu: {
    reproduces: 'QEMU 7.2 cxl-type3 under TCG: each access is a trapped MMIO exit (~0.3 µs, estimated), the command runs inside the doorbell write',
    cfgReadNs: 300,
    cfgWriteNs: 300,
    mmioReadNs: 300,
    mmioWriteNs: 300,
    memReadNs: 300,
    memWriteNs: 300,
    mailboxNs: 0,
  },
} as const satisfies Record<string, LatencyModel>;

export type LatencyProfile = keyof typeof LATENCY_MODELS;

export function latencyModel(profile: string): LatencyModel {
  return (LATENCY_MODELS as Record<string, LatencyModel>)[profile] ?? LATENCY_MODELS.spec;
}
