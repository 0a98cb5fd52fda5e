import { describe, expect, test } from 'vitest';
import type { WebFrameMain } from 'electron';
import { trustedSenderCheck } from '../../main/electron/trusted-sender.js';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/csp.js';

const frame = (url: string, parent: unknown = null) => ({ url, parent }) as unknown as WebFrameMain;

describe('IPC sender check', () => {
  const check = trustedSenderCheck('file:///app/out/renderer/index.html');
  test('our page in the main frame is trusted (query and hash may differ)', () => {
    expect(check(frame('file:///app/out/renderer/index.html'))).toBe(true);
    expect(check({ senderFrame: frame('file:///app/out/renderer/index.html#x') } as never)).toBe(true);
  });
  test('another file, another origin, a sub-frame or no frame is not', () => {
    expect(check(frame('file:///etc/passwd'))).toBe(false);
    expect(check(frame('https://example.com/'))).toBe(false);
    expect(check(frame('file:///app/out/renderer/index.html', frame('file:///app/out/renderer/index.html')))).toBe(false);
    expect(check(null)).toBe(false);
    expect(check({ senderFrame: null } as never)).toBe(false);
  });
  test('a dev-server page is trusted by origin', () => {
    const dev = trustedSenderCheck('http://localhost:5173/');
    expect(dev(frame('http://localhost:5173/index.html'))).toBe(true);
    expect(dev(frame('http://localhost:5174/'))).toBe(false);
  });
});

describe('CSP', () => {
  test('no inline or eval script, sockets only to loopback', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(eval|inline)/);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws://127.0.0.1:* ws://localhost:*");
  });
});

describe('app:// pages', () => {
  test('the app origin is trusted; another custom host or scheme is not', () => {
    const check = trustedSenderCheck('app://bench/index.html');
    expect(check(frame('app://bench/index.html'))).toBe(true);
    expect(check(frame('app://evil/index.html'))).toBe(false);
    expect(check(frame('other://bench/index.html'))).toBe(false);
  });
});
