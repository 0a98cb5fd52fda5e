// HDM decoders (CXL 2.0 8.2.5.12): the register block with commit/lock semantics, and its declaration.
export * from './hdm-decl.js';
export * from './decoder-count.js';
export * from './commit-checks.js';
export { HdmDecoders, createHdmDecoders, hdmDecodersOf, type HdmDecoderOptions } from './hdm-decoders.js';
