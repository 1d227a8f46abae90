import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File names {@link writeDevAppKey} writes in its directory. */
export const devAppKeyFiles = { privateKey: 'app-key.pem', publicKey: 'app-key.pub.pem' } as const;

/** What {@link writeDevAppKey} left in the directory. */
export interface DevAppKey {
  /** PKCS#8 PEM, mode 0600: what the bridge reads through `GITHUB_APP_PRIVATE_KEY_FILE`. */
  readonly privateKeyPath: string;
  /** SPKI PEM, mode 0644: what the GitHub stand-in trusts (`--public-key-file`). */
  readonly publicKeyPath: string;
  /** False when a private key was already there and was kept. */
  readonly created: boolean;
}

/**
 * Makes sure `dir` holds a throw-away GitHub App key pair for a local fleet: generates an
 * RSA-2048 pair unless a private key is already there, and always (re)writes the public key
 * from the private one, so the two files never disagree. Running it again keeps the key, so
 * a restarted fleet still trusts tokens signed before. Development only: the key never
 * leaves the directory and is not printed.
 * @throws when the directory cannot be written or an existing private key is not a PEM key.
 */
export async function writeDevAppKey(dir: string): Promise<DevAppKey> {
  await mkdir(dir, { recursive: true });
  const privateKeyPath = join(dir, devAppKeyFiles.privateKey);
  const publicKeyPath = join(dir, devAppKeyFiles.publicKey);
  const existing = await readExisting(privateKeyPath);
  let privateKey: KeyObject;
  if (existing === undefined) {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    // 'wx': if another writer got there first, fail rather than replace a key in use.
    await writeFile(privateKeyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } else {
    privateKey = createPrivateKey(existing);
  }
  await writeFile(publicKeyPath, createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privateKeyPath, publicKeyPath, created: existing === undefined };
}

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
