// `cxl-bench run --kernel all`: the kernel matrix (kernels.matrix, exactly as the UI calls it) — one run per
// kernel profile, then step × version with the first failing step per version. And `cxl-bench kernels
// [--json]`: the profiles with every rule and the source it was read from. Exit 1 when any version fails.

import type { ApiInput } from '../../main/api/contract.js';
import { callApi } from '../../main/api/table.js';
import { kernelMatrixText } from '../../host/kernels/matrix.js';
import type { Services } from '../../main/services/services.js';
import { createServices } from '../../main/services/services.js';
import { DEFAULT_DB, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT } from '../usage.js';

export async function runKernelMatrix(services: Services, io: CliIo, input: ApiInput<'kernels.matrix'>, json: boolean): Promise<number> {
  await write(io.stderr, `kernel matrix: ${(input.kernels ?? ['6.1', '6.12', 'mainline']).join(', ')} …\n`);
  const r = await callApi(services, 'kernels.matrix', input);
  if (json) await write(io.stdout, JSON.stringify(r) + '\n');
  else {
    const runs = r.runs.map((x) => `  Linux ${x.kernel}: run ${x.runId} ${x.run.status.toUpperCase()} — ${x.run.summary ?? ''}`).join('\n');
    await write(io.stdout, `${runs}\n\n${kernelMatrixText(r.matrix)}`);
  }
  return Object.values(r.matrix.outcome).every((o) => o.probes) ? EXIT.ok : EXIT.failed;
}

export async function kernelsCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('kernels', args, { json: { type: 'boolean' }, db: { type: 'string' } }, { min: 0, max: 1, names: '' });
  if (p.positionals[0] !== undefined && p.positionals[0] !== 'list') throw new (await import('../usage.js')).UsageError(`kernels: unknown subcommand "${p.positionals[0]}" (try: list)`);
  const services = await createServices({ dbPath: str(p, 'db') ?? DEFAULT_DB });
  try {
    const list = await callApi(services, 'kernels.list', {});
    if (p.values.json) await write(io.stdout, JSON.stringify(list) + '\n');
    else
      await write(
        io.stdout,
        list.map((k) => [`${k.id}  ${k.title}`, `  tree: ${k.tree}`, `  checked against: ${k.checkedAgainst}`, ...k.rules.map((r) => `  ${r.area}.${r.name} = ${r.value}  (${r.source})`)].join('\n')).join('\n\n') + '\n',
      );
    return EXIT.ok;
  } finally {
    await services.close();
  }
}
