// Trace rows fetched page by page on demand and cached (DESIGN.md 6: a 1 M-event run opens with its first
// rows at once and scrolls smoothly). The view asks for a row range; missing pages are requested once each,
// at most `maxInFlight` at a time, nearest first; the cache keeps the most recently used `maxPages` pages.
import type { Page, TraceFilter, TraceRow } from '../../../main/api/contract.js';

export type FetchPage = (offset: number, limit: number) => Promise<Page<TraceRow>>;

export interface TracePagesOptions {
  pageSize?: number;
  maxPages?: number;
  maxInFlight?: number;
}

export class TracePages {
  readonly pageSize: number;
  private readonly maxPages: number;
  private readonly maxInFlight: number;
  private readonly pages = new Map<number, TraceRow[]>(); // insertion order = LRU order
  private readonly inFlight = new Set<number>();
  private wanted: number[] = [];
  private knownTotal: number | null = null;
  private generation = 0;
  private lastError: unknown = null;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly onChange: () => void,
    opts: TracePagesOptions = {},
  ) {
    this.pageSize = opts.pageSize ?? 256;
    this.maxPages = opts.maxPages ?? 128;
    this.maxInFlight = opts.maxInFlight ?? 3;
  }

  /** Total row count, or null until the first page has answered. */
  get total(): number | null {
    return this.knownTotal;
  }

  get error(): unknown {
    return this.lastError;
  }

  /** The row at `index` if its page is cached (and marks the page recently used); undefined otherwise. */
  row(index: number): TraceRow | undefined {
    const p = Math.floor(index / this.pageSize);
    const rows = this.pages.get(p);
    if (!rows) return undefined;
    return rows[index - p * this.pageSize];
  }

  /** Make sure rows [first, first+count) are cached or on their way; call on every scroll. */
  request(first: number, count: number): void {
    const lastRow = Math.max(first, first + count - 1);
    const p0 = Math.floor(Math.max(0, first) / this.pageSize);
    const p1 = Math.floor(lastRow / this.pageSize);
    const maxPage = this.knownTotal === null ? p0 : Math.max(0, Math.ceil(this.knownTotal / this.pageSize) - 1);
    const want: number[] = [];
    for (let p = p0; p <= Math.min(p1, maxPage); p++) {
      const rows = this.pages.get(p);
      if (rows) {
        this.pages.delete(p); // refresh LRU position
        this.pages.set(p, rows);
      } else if (!this.inFlight.has(p)) want.push(p);
    }
    // Only the latest view's pages matter: a fast scroll drops what the previous position wanted.
    this.wanted = want;
    this.pump();
  }

  /** Forget everything (new run or filter); answers to older requests are ignored. */
  reset(): void {
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
    this.wanted = [];
    this.knownTotal = null;
    this.lastError = null;
  }

  /**
   * A live run grew: drop the last (partial) page so it is fetched again, and refetch the page that
   * holds `index` to learn the new total.
   */
  refresh(index: number): void {
    if (this.knownTotal !== null) {
      const lastPage = Math.floor(Math.max(0, this.knownTotal - 1) / this.pageSize);
      if ((this.pages.get(lastPage)?.length ?? 0) < this.pageSize) this.pages.delete(lastPage);
    }
    const p = Math.floor(Math.max(0, index) / this.pageSize);
    if (!this.inFlight.has(p)) {
      this.pages.delete(p);
      this.wanted.unshift(p);
      this.pump();
    }
  }

  private pump(): void {
    while (this.inFlight.size < this.maxInFlight && this.wanted.length > 0) {
      const p = this.wanted.shift()!;
      if (this.pages.has(p) || this.inFlight.has(p)) continue;
      this.load(p);
    }
  }

  private load(p: number): void {
    const gen = this.generation;
    this.inFlight.add(p);
    this.fetchPage(p * this.pageSize, this.pageSize).then(
      (page) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(p);
        this.knownTotal = page.total;
        this.lastError = null;
        this.pages.set(p, page.rows);
        while (this.pages.size > this.maxPages) {
          const oldest = this.pages.keys().next().value as number;
          this.pages.delete(oldest);
        }
        this.pump();
        this.onChange();
      },
      (err: unknown) => {
        if (gen !== this.generation) return;
        this.inFlight.delete(p);
        this.lastError = err;
        this.pump();
        this.onChange();
      },
    );
  }
}

/** A stable key for a (run, filter) pair: a new key means a new TracePages. */
export function traceKey(runId: number, filter: TraceFilter): string {
  return `${runId}|${JSON.stringify(filter)}`;
}

/**
 * Row index of the first row whose seq is ≥ `seq` (rows are in seq order, filtered or not): one probe at the
 * likely index (seq − first seq, exact for an unfiltered trace), else a binary search of single-row fetches.
 */
export async function indexOfSeq(fetchPage: FetchPage, total: number, seq: number): Promise<number> {
  if (total <= 0) return 0;
  const seqAt = async (i: number) => (await fetchPage(i, 1)).rows[0]?.seq ?? Number.POSITIVE_INFINITY;
  const first = await seqAt(0);
  const guess = Math.min(total - 1, Math.max(0, seq - first));
  if ((await seqAt(guess)) === seq) return guess;
  let lo = 0;
  let hi = total; // invariant: rows before lo have seq < target; rows from hi on have seq ≥ target
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((await seqAt(mid)) < seq) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, total - 1);
}
