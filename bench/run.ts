// `npm run bench -- [name ...]`: runs the `benchmarks` every bench/*.ts file exports and prints one JSON line
// per figure, {"name","value","unit"}. Names filter by prefix ("store" runs store.*). Figures only — the bars
// they are judged against are in DESIGN.md 7.

import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

export interface Benchmark {
  name: string;
  unit: string;
  run(): Promise<number> | number;
}

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url).split('/').pop();

/** Files that failed to load (reported, and the run exits 1, but the other files still run). */
let broken = 0;

async function collect(): Promise<Benchmark[]> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== self && !f.endsWith('.d.ts'))
    .sort();
  const all: Benchmark[] = [];
  for (const f of files) {
    try {
      const mod = (await import(pathToFileURL(join(here, f)).href)) as { benchmarks?: Benchmark[] };
      if (Array.isArray(mod.benchmarks)) all.push(...mod.benchmarks);
    } catch (e) {
      broken++;
      process.stderr.write(`bench: cannot load bench/${f}: ${(e as Error).message.split('\n')[0]}\n`);
    }
  }
  return all;
}

async function main(filters: string[]): Promise<number> {
  const all = await collect();
  const chosen = filters.length ? all.filter((b) => filters.some((p) => b.name.startsWith(p))) : all;
  if (chosen.length === 0) {
    process.stderr.write(`bench: nothing matches ${filters.join(' ')} (have: ${all.map((b) => b.name).join(', ')})\n`);
    return 2;
  }
  let failed = 0;
  for (const b of chosen) {
    try {
      const value = await b.run();
      process.stdout.write(JSON.stringify({ name: b.name, value: Number(value.toPrecision(6)), unit: b.unit }) + '\n');
    } catch (e) {
      failed++;
      process.stderr.write(`bench: ${b.name} failed: ${(e as Error).message}\n`);
    }
  }
  return failed || broken ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
