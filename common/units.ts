// Types that say what a number means. Branded so that an HPA cannot be passed where a DPA is expected.
// All are plain numbers at run time (addresses stay below 2^53 in every topology we model).

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Host physical address (CFMWS windows, HDM decoder bases). */
export type Hpa = Brand<number, 'Hpa'>;
/** Device physical address, an offset into an endpoint's media. */
export type Dpa = Brand<number, 'Dpa'>;
/** Bus/device/function packed as in ECAM: bus << 8 | dev << 3 | fn. */
export type Bdf = Brand<number, 'Bdf'>;
/** Mailbox command opcode (command set << 8 | command). */
export type Opcode = Brand<number, 'Opcode'>;

export const hpa = (n: number): Hpa => n as Hpa;
export const dpa = (n: number): Dpa => n as Dpa;
export const opcode = (n: number): Opcode => n as Opcode;
export const bdf = (bus: number, dev: number, fn: number): Bdf => (((bus & 0xff) << 8) | ((dev & 0x1f) << 3) | (fn & 7)) as Bdf;
export const bdfBus = (b: Bdf): number => (b >> 8) & 0xff;
export const bdfDev = (b: Bdf): number => (b >> 3) & 0x1f;
export const bdfFn = (b: Bdf): number => b & 7;
export const formatBdf = (b: Bdf): string =>
  `${bdfBus(b).toString(16).padStart(2, '0')}:${bdfDev(b).toString(16).padStart(2, '0')}.${bdfFn(b)}`;

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
