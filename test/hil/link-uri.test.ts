import { describe, expect, it } from 'vitest';
import { LinkUriError, parseLinkUri } from '../../hil/link.js';

describe('parseLinkUri', () => {
  it.each([
    ['uartbone:/dev/ttyUSB0@115200', { transport: 'uartbone', path: '/dev/ttyUSB0', baud: 115200 }],
    ['uartbone:/dev/ttyUSB1', { transport: 'uartbone', path: '/dev/ttyUSB1', baud: 115200 }],
    ['uartbone:/dev/pts/7@3000000', { transport: 'uartbone', path: '/dev/pts/7', baud: 3_000_000 }],
    ['etherbone+tcp://127.0.0.1:1234', { transport: 'etherbone+tcp', host: '127.0.0.1', port: 1234 }],
    ['etherbone+tcp://localhost', { transport: 'etherbone+tcp', host: 'localhost', port: 1234 }],
    ['etherbone+udp://192.168.1.50:1234', { transport: 'etherbone+udp', host: '192.168.1.50', port: 1234 }],
    ['etherbone+tcp://[::1]:2000', { transport: 'etherbone+tcp', host: '::1', port: 2000 }],
    ['sysfs:0000:3b:00.0', { transport: 'sysfs', bdf: '0000:3b:00.0' }],
  ])('%s', (uri, want) => expect(parseLinkUri(uri)).toMatchObject(want));

  it.each([
    ['', /missing scheme/],
    ['/dev/ttyUSB0', /missing scheme/],
    ['serial:/dev/ttyUSB0', /unknown scheme "serial"/],
    ['uartbone:@115200', /missing serial port path/],
    ['uartbone:/dev/ttyUSB0@fast', /baud rate "fast"/],
    ['etherbone+tcp:127.0.0.1:1234', /"\/\/host:port"/],
    ['etherbone+udp://host:99999', /outside 1..65535/],
    ['etherbone+tcp://host:abc', /port "abc"/],
    ['sysfs:3b:00.0', /not a PCI address/],
    ['sysfs:0000:3b:20.0', /not a PCI address/],
  ])('rejects %s with a clear reason', (uri, why) => {
    expect(() => parseLinkUri(uri)).toThrow(LinkUriError);
    expect(() => parseLinkUri(uri)).toThrow(why);
  });
});
