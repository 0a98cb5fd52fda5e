// A one-line progress bar on a TTY (redrawn in place with \r), silent otherwise.

export interface ProgressOut {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export class ProgressBar {
  private drawn = false;

  constructor(private readonly out: ProgressOut) {}

  update(done: number, total: number, label: string): void {
    if (!this.out.isTTY) return;
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const pct = total > 0 ? `${String(Math.round(frac * 100)).padStart(3)}%` : ' ...';
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct} ${label}`;
    const max = (this.out.columns ?? 80) - 1;
    this.out.write(`\r${line.slice(0, max).padEnd(max)}`);
    this.drawn = true;
  }

  clear(): void {
    if (!this.drawn) return;
    this.out.write(`\r${' '.repeat((this.out.columns ?? 80) - 1)}\r`);
    this.drawn = false;
  }
}
