import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * The process-level tests run the built command (`dist/cli.js`), as users do; build it
 * once before the suite (incremental, so a fresh tree costs seconds and an unchanged one none).
 */
export default function buildOnce(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
