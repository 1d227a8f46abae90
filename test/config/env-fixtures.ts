import { generateKeyPairSync } from 'node:crypto';
import type { ReadTextFileSync } from '../../src/config/secret-files.js';

/** One RSA key pair for the whole file, in the encodings GITHUB_APP_PRIVATE_KEY accepts. */
export function generateAppKey(): { pkcs1: string; pkcs8: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The smallest environment that loads: the five required variables. */
export function minimalEnv(privateKeyPem: string): Record<string, string> {
  return {
    JWT_BUILDKITE_ORGANIZATION_SLUG: 'acme',
    BUILDKITE_API_TOKEN: 'bkua_0123456789abcdef',
    GITHUB_APP_ID: '123456',
    GITHUB_APP_INSTALLATION_ID: '7890123',
    GITHUB_APP_PRIVATE_KEY: privateKeyPem,
  };
}

/** A file reader for environments that name no files: any read is a test bug. */
export const noFiles: ReadTextFileSync = (path) => {
  throw new Error(`unexpected read of ${path}`);
};

/** A file reader over an in-memory table; a missing path fails as the disk would. */
export function filesFrom(files: Readonly<Record<string, string>>): ReadTextFileSync {
  return (path) => {
    const contents = files[path];
    if (contents === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return contents;
  };
}
