// The HPA memory path: hierarchy view, slow walk, compiled routes, reads/writes.
export * from './hierarchy.js';
export { walkRoute, type Route, type RouteOk, type RouteFail } from './route-walk.js';
export { RouteCache, LANES, LANE_BYTES, type Lane, type CompiledInterval } from './route-cache.js';
export { MemoryPath, PLATFORM_NODE } from './memory-path.js';
