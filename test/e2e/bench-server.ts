// The server the end-to-end UI flow runs against. Until main/server lands this is the in-test mock; the
// switch to the real startServer happens here and nowhere else.
import { rendererDir } from './harness.js';
import { startMockServer } from './mock-bench-server.js';

export interface ServerUnderTest {
  kind: 'real' | 'mock';
  url: string;
  close(): Promise<void>;
}

export async function startServerUnderTest(): Promise<ServerUnderTest> {
  const mock = await startMockServer(rendererDir);
  return { kind: 'mock', url: mock.url, close: () => mock.close() };
}
