// Time in the emulator (issue 15): per-profile access latencies and the sink that applies them.
export { LATENCY_MODELS, latencyModel, type LatencyModel, type LatencyProfile } from './latency-profiles.js';
export { TimedSink } from './timed-sink.js';
export { buildTimedPlatform } from './timed-platform.js';
export { LatencyClock } from './latency-clock.js';
