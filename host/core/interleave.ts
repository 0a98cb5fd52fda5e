// Devices probed in parallel (issue 14): Linux's cxl_pci prefers asynchronous probing (PROBE_PREFER_ASYNCHRONOUS,
// drivers/cxl/pci.c), so on a machine with two memory devices their probes run at once and their register
// accesses interleave in an order that changes from boot to boot. The Interleaver reproduces that with a seed:
// each task's accesses wait for a turn, and a turn is given only when every live task is waiting for one, to a
// task picked by the seeded generator. Same seed, same interleaving; another seed, another one.

import type { CfgWidth } from '../../common/access.js';
import type { Target } from '../../common/target.js';

/** mulberry32 (the same generator as trace/synthetic.ts; host/ may not import trace/). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Interleaver {
  private readonly next: () => number;
  private readonly waiting = new Map<number, () => void>();
  private readonly live = new Set<number>();

  constructor(seed: number) {
    this.next = rng(seed);
  }

  /** Run the tasks at once; each gets its id for `gate`. Resolves with their results in task order. */
  run<T>(tasks: readonly ((id: number) => Promise<T>)[]): Promise<T[]> {
    tasks.forEach((_, id) => this.live.add(id));
    return Promise.all(
      tasks.map(async (task, id) => {
        try {
          return await task(id);
        } finally {
          this.live.delete(id);
          this.grant();
        }
      }),
    );
  }

  /** Wait for task `id`'s turn to make one access. */
  turn(id: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.grant();
    });
  }

  private grant(): void {
    // Only when every live task waits: a task still running (between accesses) has its say first.
    if (this.waiting.size === 0 || this.waiting.size < this.live.size) return;
    const ids = [...this.waiting.keys()].sort((x, y) => x - y);
    const id = ids[Math.floor(this.next() * ids.length)];
    const resolve = this.waiting.get(id)!;
    this.waiting.delete(id);
    resolve();
  }

  /** `target` with every access waiting for task `id`'s turn. */
  gate(target: Target, id: number): Target {
    const turn = (): Promise<void> => this.turn(id);
    return {
      node: target.node,
      backend: target.backend,
      cfgRead: async (offset: number, width: CfgWidth) => (await turn(), target.cfgRead(offset, width)),
      cfgWrite: async (offset: number, width: CfgWidth, value: number) => (await turn(), target.cfgWrite(offset, width, value)),
      barRead: async (bar: number, offset: number, width: CfgWidth) => (await turn(), target.barRead(bar, offset, width)),
      barWrite: async (bar: number, offset: number, width: CfgWidth, value: number) => (await turn(), target.barWrite(bar, offset, width, value)),
      barRead64: async (bar: number, offset: number) => (await turn(), target.barRead64(bar, offset)),
      barWrite64: async (bar: number, offset: number, value: bigint) => (await turn(), target.barWrite64(bar, offset, value)),
    };
  }
}
