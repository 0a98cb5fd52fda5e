// The CXL 2.0 Type 3 memory device: createType3(config, clock[, backend]) -> Type3Device (fn: FunctionModel,
// layout(), backend, reset, injectRasError / injectRas, onMailbox, cdat). Profiles 'spec' and 'qemu' in profiles.ts.
export * from './config.js';
export { createType3, HDM_BLOCK_KIND, CXL_MEMDEV_CLASS, MSIX_VECTORS, COMPONENT_BAR_BYTES, type Type3Device } from './type3-device.js';
export { TYPE3_PROFILES, type Type3Profile } from './profiles.js';
export { unsupportedBackend } from './unsupported-backend.js';
export { traceMailbox } from './mailbox-trace.js';
export type { RasErrorKind, RasInjection, RasInjectOptions } from '../cxl/ras-injection.js';
export { dumpRegisters, type DumpableFunction } from '../spec/dump-registers.js';
