// The topology: file schema and validation, defaults, tree view, CEDT, and the platform built from it.
export * from './types.js';
export { loadTopology, formatTopologyError, formatFieldPath } from './load.js';
export { defaultTopology, isDefaultTopologyName } from './default-topology.js';
export { DEFAULT_TOPOLOGIES, DEFAULT_TOPOLOGY_NAMES, type DefaultTopologyName } from './defaults/index.js';
export { topologyTree } from './tree.js';
export { buildCedt, decodeCedt, acpiChecksumOk, type DecodedCedt, type CedtChbs, type CedtCfmws } from './cedt.js';
export { buildPlatform, EmulatedPlatform, type PlatformOptions } from './platform.js';
export type { EnumerationReport } from './enumeration.js';
export { CHBCR_AREA_BASE, MMIO_APERTURE_BASE, chbcrAddress } from './memory-map.js';
export { CAPACITY_UNIT, DEFAULT_WINDOW_BASE } from './validate.js';
