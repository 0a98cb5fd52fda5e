import { describe, expect, test } from 'vitest';
import { resolveAppPath } from '../../main/electron/app-protocol.js';

describe('app:// → out/renderer', () => {
  const root = '/app/out/renderer';
  test('maps the page and its assets under the renderer directory', () => {
    expect(resolveAppPath(root, 'app://bench/')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath(root, 'app://bench/index.html?token=x#y')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath(root, 'app://bench/assets/index-abc.js')).toBe('/app/out/renderer/assets/index-abc.js');
  });
  test('refuses paths that leave the directory, other hosts and other schemes', () => {
    // The URL parser already removes literal dot segments: the path stays inside the root.
    expect(resolveAppPath(root, 'app://bench/../../etc/passwd')).toBe('/app/out/renderer/etc/passwd');
    expect(resolveAppPath(root, 'app://bench/%2e%2e/%2e%2e/etc/passwd')).toBe('/app/out/renderer/etc/passwd');
    expect(resolveAppPath(root, 'app://bench/assets/..%2f..%2f..%2fmain%2findex.js')).toBeNull();
    expect(resolveAppPath(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppPath(root, 'file:///app/out/renderer/index.html')).toBeNull();
    expect(resolveAppPath(root, 'app://bench/%E0%A4%A')).toBeNull();
  });
});
