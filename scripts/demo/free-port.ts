import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: `preferred` when it is free, otherwise one the OS
 * picks. (The emulator needs the app's webhook URL and the app the emulator's, so ports are chosen first.)
 */
export async function freePort(preferred = 0): Promise<number> {
  try {
    return await probe(preferred);
  } catch (error) {
    if (preferred === 0) throw error;
    return probe(0);
  }
}

function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const chosen = typeof address === 'object' && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}
