// Per-node streams (issue 14): two runs of the same topology probe their devices in different interleavings
// (Linux probes cxl_pci asynchronously; QEMU's vCPUs run in parallel), so one global alignment of both traces
// loses most of them. Each side is split into one stream per node — a node's config, BAR and CHBCR accesses,
// its mailbox records — and the streams are aligned on their own, then merged for display (compare.ts).
//
// A step names no node: it joins the stream of the node its name starts with ("hb0.rp0.ep0: present"), else
// the stream of its prefix before ': ', else the stream of steps without one. In 'global' mode every event is
// in one stream, in recorded order (the old behaviour).

export type AlignMode = 'node' | 'global';

/** Stream of steps that name no node. */
export const STEP_STREAM = '(steps)';
const GLOBAL = '*';

/** Stream ids shared by both sides of a comparison: the same node name has the same id on A and B. */
export class StreamTable {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  constructor(readonly mode: AlignMode) {}

  /** Stream of an access or mailbox record on `node` (the name after A's node map). */
  id(node: string): number {
    const name = this.mode === 'global' ? GLOBAL : node;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  get size(): number {
    return this.names.length;
  }
}

/** The node a step's name starts with ("hb0.rp0.ep0: …", "cxl_pci hb0.rp0.ep0: …" stays unnamed), or null. */
export function stepNode(name: string): string | null {
  const at = name.indexOf(': ');
  if (at <= 0) return null;
  const prefix = name.slice(0, at);
  return /\s/.test(prefix) ? null : prefix;
}
