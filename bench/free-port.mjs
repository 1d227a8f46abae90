// A loopback port that is free now (taken, then released) for a server started right after.
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
