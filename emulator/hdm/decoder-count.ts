// HDM Decoder Capability register Decoder Count [3:0] encoding (CXL 2.0 8.2.5.12.1, widened by later ECNs).
// Linux decodes the field as `v ? 2v : 1`, which agrees with this table only up to 8h (16 decoders).

/** Encoded value -> number of decoders. Encodings 6h..Ch (12+) are for switches and host bridges only. */
export const DECODERS_BY_ENCODING: readonly number[] = [1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32];

/** Largest decoder count an endpoint may have (encoding 8h: 16; beyond that is for ports only). */
export const MAX_ENDPOINT_DECODERS = 16;

export const encodeDecoderCount = (n: number): number | null => {
  const e = DECODERS_BY_ENCODING.indexOf(n);
  return e < 0 ? null : e;
};

export const decodeDecoderCount = (e: number): number | null => DECODERS_BY_ENCODING[e] ?? null;

/** Target Count [7:4] is the number of targets per decoder, 1..8 (8 target-list bytes in low + high). */
export const VALID_TARGET_COUNTS: readonly number[] = [1, 2, 4, 8];
