// Simulated silicon from the command line: a Type 3 device (emulator/type3) behind a UARTBone pty or an
// Etherbone port, with a silicon profile, for demos and manual runs against the app.
//   npx tsx hil/sim/cli.ts uartbone [--baud 115200] [--paced] [--profile rev-a] [--map-out board.map.json]
//   npx tsx hil/sim/cli.ts etherbone [--port 1234] [--udp] [--profile rev-a] [--map-out board.map.json]
// Prints the link URI to use and the device map (JSON); runs until interrupted.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WallClock } from '../../common/clock.js';
import { createType3, defaultType3Config } from '../../emulator/type3/index.js';
import { packedDeviceMap } from '../device-map.js';
import { startEtherboneSim } from './etherbone-sim.js';
import { SILICON_PROFILES } from './profiles.js';
import { startUartboneSim } from './uartbone-sim.js';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      baud: { type: 'string', default: '115200' },
      paced: { type: 'boolean', default: false },
      port: { type: 'string', default: '1234' },
      udp: { type: 'boolean', default: false },
      profile: { type: 'string', default: 'ideal' },
      'map-out': { type: 'string' },
    },
  });
  const kind = positionals[0];
  if (kind !== 'uartbone' && kind !== 'etherbone') {
    process.stderr.write('usage: cli.ts uartbone|etherbone [--baud N] [--paced] [--port N] [--udp] [--profile ideal|rev-a] [--map-out FILE]\n');
    return 2;
  }
  if (!SILICON_PROFILES[values.profile!]) {
    process.stderr.write(`unknown profile "${values.profile}" (have: ${Object.keys(SILICON_PROFILES).join(', ')})\n`);
    return 2;
  }
  const dev = createType3(defaultType3Config(), new WallClock());
  const cfg = dev.config;
  const map = packedDeviceMap(dev.fn.barSizes(), undefined, cfg.volatileBytes + cfg.persistentBytes + cfg.partitionableBytes);
  const be = dev.backend;
  const memory = { mediaAccess: be.mediaAccess.bind(be), read: be.media.read.bind(be.media), write: be.media.write.bind(be.media) };
  let uri: string;
  let close: () => Promise<void>;
  if (kind === 'uartbone') {
    const baud = Number(values.baud);
    const sim = await startUartboneSim({ model: dev.fn, memory, map, pty: true, baud, paced: values.paced, profile: values.profile });
    uri = `uartbone:${sim.path}@${baud}`;
    close = () => sim.close();
  } else {
    const sim = await startEtherboneSim({ model: dev.fn, memory, map, port: Number(values.port), transport: values.udp ? 'udp' : 'tcp', profile: values.profile });
    uri = sim.uri;
    close = () => sim.close();
  }
  if (values['map-out']) writeFileSync(values['map-out'], JSON.stringify(map, null, 2));
  process.stdout.write(`${JSON.stringify({ link: uri, profile: values.profile, map })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await close();
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
