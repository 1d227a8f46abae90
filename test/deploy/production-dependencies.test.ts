import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRepoFile, repoRoot } from './deploy-files.js';

interface PackageJson {
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly bin: Readonly<Record<string, string>>;
  readonly scripts: Readonly<Record<string, string>>;
}

// JSON.parse yields unknown structure; package.json is ours and the assertions read it field by field.
const packageJson = JSON.parse(readRepoFile('package.json')) as PackageJson;
const builtins = new Set(builtinModules);
const specifiers = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];

/**
 * Walks the compiled modules reachable from the entry points through relative imports and
 * returns them with the bare package specifiers they import (the image runs exactly these).
 */
function reachableImports(entries: readonly string[]): { files: string[]; packages: Map<string, string> } {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const pattern of specifiers) {
      for (const [, specifier = ''] of code.matchAll(pattern)) {
        if (specifier.startsWith('.')) queue.push(join(dirname(file), specifier));
        else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
          packages.set(packageName(specifier), relative(repoRoot, file));
        }
      }
    }
  }
  return { files: [...seen], packages };
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

describe('the production dependency tree', () => {
  const entries = [join(repoRoot, packageJson.bin['token-bridge'] ?? ''), join(repoRoot, 'dist/main.js')];

  it('has the entry points the image and npm start run, built by the suite setup', () => {
    expect(packageJson.scripts['start']).toBe('node dist/main.js');
    for (const entry of entries) expect(existsSync(entry), entry).toBe(true);
  });

  it('holds every package the compiled service imports (npm ci --omit=dev is enough to run it)', () => {
    const { files, packages } = reachableImports(entries);
    expect(files.length).toBeGreaterThan(20);
    expect(packages.size).toBeGreaterThan(5);
    const missing = [...packages].filter(([name]) => packageJson.dependencies[name] === undefined);
    expect(missing.map(([name, importer]) => `${name} (imported by ${importer})`)).toEqual([]);
  });

  it('reaches every relative import it follows', () => {
    const { files } = reachableImports(entries);
    expect(files.filter((file) => !existsSync(file)).map((file) => relative(repoRoot, file))).toEqual([]);
  });

  it('keeps build and test tools out of dependencies', () => {
    for (const tool of ['typescript', 'vitest', 'eslint', 'fast-check', '@types/node']) {
      expect(packageJson.dependencies[tool], tool).toBeUndefined();
    }
  });
});
