// Linux's granularity for a port decoder (core/region.c cxl_port_setup_targets): "If @parent_port is masking
// address bits, pick the next unused address bit to route @port's targets":
//   if (parent_iw > 1 && nr_targets > 1) { address_bit = max(peig + peiw, eiw + peig); eig = address_bit - eiw + 1; }
//   else eig = peig;
// with peig/peiw the encoded parent granularity/ways (the root's ways taken as their power-of-two factor,
// "use power-of-2 math for switch ports") and eiw the encoded ways of this port. Kept exactly as Linux
// computes it, including where it is not the spec's "next unused bit" (e.g. parent 4-way over a child 8-way
// gives eig = peig + 1, overlapping the parent's bits): the emulator then shows what that programming does.

const log2 = (x: number): number => Math.round(Math.log2(x));

/** Granularity (bytes) Linux programs into a port decoder with `ways` targets under a parent (granularity, ways). */
export function linuxChildGranularity(parentGranularity: number, parentWays: number, ways: number): number {
  const peig = log2(parentGranularity) - 8;
  if (!(parentWays > 1 && ways > 1)) return parentGranularity;
  const peiw = log2(parentWays);
  const eiw = log2(ways);
  const addressBit = Math.max(peig + peiw, eiw + peig);
  const eig = addressBit - eiw + 1;
  return 256 * 2 ** eig;
}
