// `cxl-bench link test URI [--map FILE] [--reads N] [--json]`: open a hardware link, read the endpoint's
// Vendor/Device ID a few times, print latency and throughput, close (the same code as links.test). Exit 0 when
// the device answered, 1 when the link failed or read all-ones, 2 for a bad URI or usage.
// `cxl-bench link ports [--json]`: the serial ports of this machine (links.serialPorts).

import { parseLinkUri } from '../../hil/link.js';
import type { LinkTestResult } from '../../main/api/contract.js';
import { linkTestAddresses } from '../../main/links/device-id-address.js';
import { testLink } from '../../main/links/link-test.js';
import { listSerialPorts } from '../../main/links/serial-ports.js';
import { int, parse, str } from '../args.js';
import { write, type CliIo } from '../io.js';
import { EXIT, UsageError } from '../usage.js';

export async function linkCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'ports') return portsCommand(rest, io);
  if (sub !== 'test') throw new UsageError(sub ? `link: unknown subcommand "${sub}" (expected: test, ports)` : 'link: missing subcommand (expected: test, ports)');
  const p = parse('link test', rest, { map: { type: 'string' }, reads: { type: 'string' }, json: { type: 'boolean' } }, { min: 1, max: 1, names: 'URI' });
  const uri = p.positionals[0];
  try {
    parseLinkUri(uri);
  } catch (e) {
    throw new UsageError(`link test: ${(e as Error).message}`);
  }
  let where: ReturnType<typeof linkTestAddresses>;
  try {
    where = linkTestAddresses(str(p, 'map'), uri);
  } catch (e) {
    throw new UsageError(`link test: --map: ${(e as Error).message}`);
  }
  const reads = int('link test', p, 'reads', 1, 1000);
  const r = await testLink(uri, { ...where, ...(reads ? { reads } : {}) });
  await write(io.stdout, p.values.json ? JSON.stringify(r) + '\n' : linkText(r));
  return r.ok ? EXIT.ok : EXIT.failed;
}

function linkText(r: LinkTestResult): string {
  if (!r.ok) return `link ${r.uri}: FAILED — ${r.error}\n`;
  const l = r.latency!;
  return [
    `link ${r.uri}: OK — Vendor/Device ID ${r.id}`,
    `  latency µs: min ${l.minUs}, mean ${l.meanUs}, p50 ${l.p50Us}, p99 ${l.p99Us}, max ${l.maxUs} (${l.samples} reads)`,
    `  ${r.readsPerSecond ?? '?'} reads/s; burst ${r.bytesPerSecond ?? '?'} bytes/s`,
    `  memory window: ${r.memory ?? 'none in the device map (memory by HPA on this node is unroutable)'}`,
  ].join('\n') + '\n';
}

async function portsCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse('link ports', args, { json: { type: 'boolean' } }, { min: 0, max: 0, names: '' });
  const ports = await listSerialPorts();
  if (p.values.json) await write(io.stdout, JSON.stringify(ports) + '\n');
  else await write(io.stdout, ports.length ? ports.map((x) => `${x.path}  ${x.manufacturer ?? ''} ${x.vendorId ? `${x.vendorId}:${x.productId}` : ''}`.trimEnd()).join('\n') + '\n' : 'no serial ports\n');
  return EXIT.ok;
}
