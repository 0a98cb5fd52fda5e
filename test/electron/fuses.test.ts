// Issue 16: Electron fuses at packaging. Electron's binary cannot be downloaded here, so the configuration is
// checked statically: electron-builder.yml validates against electron-builder's own schema, electron-builder's
// own fuse mapping (the code it runs at packaging) turns it into the wires we mean, and nothing in the app needs
// what the fuses turn off.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|mjs|js)$/.test(f) ? [p] : [];
  });
}

describe('Electron fuses (electron-builder.yml)', () => {
  it('the whole file validates against electron-builder\'s schema (a misspelt fuse would not)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(c: unknown, log: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('electron-builder\'s own mapping flips RunAsNode, NODE_OPTIONS and inspect off, cookie encryption and asar integrity on', async () => {
    const { PlatformPackager } = require('app-builder-lib') as {
      PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string | number, unknown>> } };
    };
    const { FuseV1Options, FuseVersion } = require('@electron/fuses') as { FuseV1Options: Record<string, number>; FuseVersion: Record<string, string> };
    const wires = await PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses);
    expect(wires.version).toBe(FuseVersion.V1);
    expect(wires[FuseV1Options.RunAsNode]).toBe(false);
    expect(wires[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(wires[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(wires[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(wires[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(wires[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(wires[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    // asar integrity and only-from-asar need the app packed as app.asar (electron-builder's default).
    expect(config.asar).not.toBe(false);
  });

  it('the app needs nothing the fuses turn off: no process.fork / ELECTRON_RUN_AS_NODE, no file:// renderer, no NODE_OPTIONS', () => {
    const mainCode = sources(join(root, 'main')).map((p) => [p, readFileSync(p, 'utf8')] as const);
    for (const [p, text] of mainCode) {
      expect(text, p).not.toMatch(/\bfork\(|ELECTRON_RUN_AS_NODE|NODE_OPTIONS/);
      expect(text, p).not.toMatch(/\bloadFile\(/);
    }
    // The packaged renderer comes from the app:// protocol (main/electron/app-protocol.ts).
    expect(readFileSync(join(root, 'main/electron/main.ts'), 'utf8')).toContain('return `${APP_ORIGIN}/index.html`;');
  });
});
