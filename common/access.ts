// The vocabulary of a register access, shared by the emulator (which serves accesses), hil/ (which forwards
// them to silicon), host/ (which issues them) and trace/ (which records and decodes them).

/** Access width in bytes. Config space allows 1/2/4; memory-mapped blocks may allow 8 where the spec says. */
export type Width = 1 | 2 | 4 | 8;
export type CfgWidth = 1 | 2 | 4;

/** Which address space an access went to. */
export type Space = 'cfg' | 'mmio' | 'mem';

/**
 * The region inside a node's space: 'cfg' for config space, 'bar0'..'bar5' for a function's BARs, 'chbcr' for
 * a host bridge's component registers, 'hpa' for the memory path (offset = HPA).
 */
export type Region = 'cfg' | 'bar0' | 'bar1' | 'bar2' | 'bar3' | 'bar4' | 'bar5' | 'chbcr' | 'hpa';

export type AccessOp = 'R' | 'W';

/**
 * ok: claimed and served. unclaimed: nothing decodes the address (reads return all-ones, writes dropped).
 * bad-access: claimed, but the width/alignment is not one the block accepts (served as silicon would).
 * timeout / link-error: a hardware link did not answer / failed.
 */
export type AccessStatus = 'ok' | 'unclaimed' | 'bad-access' | 'timeout' | 'link-error';

// Integer codes for compact storage and the packed in-memory trace buffer. Order is part of the on-disk
// format: append only.
export const SPACES: readonly Space[] = ['cfg', 'mmio', 'mem'];
export const REGIONS: readonly Region[] = ['cfg', 'bar0', 'bar1', 'bar2', 'bar3', 'bar4', 'bar5', 'chbcr', 'hpa'];
export const OPS: readonly AccessOp[] = ['R', 'W'];
export const STATUSES: readonly AccessStatus[] = ['ok', 'unclaimed', 'bad-access', 'timeout', 'link-error'];

export const spaceCode = (s: Space): number => SPACES.indexOf(s);
export const regionCode = (r: Region): number => REGIONS.indexOf(r);
export const statusCode = (s: AccessStatus): number => STATUSES.indexOf(s);

export const barRegion = (bar: number): Region => `bar${bar}` as Region;

/** All-ones of a width: what an unclaimed read returns. */
export const allOnes = (w: Width): bigint => (w === 8 ? 0xffff_ffff_ffff_ffffn : BigInt(2 ** (8 * w) - 1));
export const allOnesNum = (w: CfgWidth): number => 2 ** (8 * w) - 1;
