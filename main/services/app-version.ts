// The application's name and version, from package.json beside the sources or the bundle.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function appVersion(): { name: string; version: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [resolve(here, '../../package.json'), resolve(here, '../../../package.json')]) {
    if (!existsSync(p)) continue;
    const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'cxl-bench') return { name: pkg.name, version: pkg.version ?? '0.0.0' };
  }
  return { name: 'cxl-bench', version: '0.0.0' };
}
