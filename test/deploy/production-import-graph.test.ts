import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './deploy-files.js';

interface ModuleImports {
  /** `import … from`, `export … from`, `import '…'`: loaded with the module, type-only ones included. */
  readonly static: string[];
  /** `import('…')` with a literal specifier: loaded only when that code runs. */
  readonly dynamic: string[];
}

/** The relative imports of one TypeScript source file, resolved to source paths. */
function importsOf(file: string): ModuleImports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const toSource = (specifier: string) => resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
  const imports = { static: [] as string[], dynamic: [] as string[] };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) imports.static.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [specifier] = node.arguments;
      if (specifier !== undefined && ts.isStringLiteralLike(specifier)) imports.dynamic.push(specifier.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const relativeOnly = (specifiers: string[]) => specifiers.filter((specifier) => specifier.startsWith('.')).map(toSource);
  return { static: relativeOnly(imports.static), dynamic: relativeOnly(imports.dynamic) };
}

/** Every source module loaded with the entry points, following static imports only. */
function staticallyReachable(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.map((entry) => join(repoRoot, entry));
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (existsSync(file)) queue.push(...importsOf(file).static);
  }
  return [...seen].map((file) => relative(repoRoot, file)).sort();
}

const isStandIn = (path: string) => path.startsWith('src/dev/');

describe('the modules `token-bridge serve` and the CLI load', () => {
  const production = staticallyReachable(['src/main.ts', 'src/cli.ts']);

  it('are found where the imports say (the walk misses nothing)', () => {
    expect(production.filter((path) => !existsSync(join(repoRoot, path)))).toEqual([]);
    expect(production).toEqual(
      expect.arrayContaining(['src/app.ts', 'src/deps.ts', 'src/commands/profiles-command.ts', 'src/commands/run-dev-command.ts']),
    );
  });

  it('include no stand-in, demo or fake from src/dev', () => {
    expect(production.filter(isStandIn)).toEqual([]);
  });

  it('reach the dev commands by one dynamic import, run only for demo, stand-in and dev-app-key', () => {
    const dynamic = production.flatMap((path) =>
      importsOf(join(repoRoot, path)).dynamic.map((target) => `${path} -> ${relative(repoRoot, target)}`),
    );
    expect(dynamic.filter((edge) => isStandIn(edge.split(' -> ')[1] ?? ''))).toEqual([
      'src/commands/run-dev-command.ts -> src/dev/dev-commands.ts',
    ]);
  });

  it('would show a stand-in if one were imported (the walk follows src/dev too)', () => {
    expect(staticallyReachable(['src/dev/dev-commands.ts'])).toEqual(
      expect.arrayContaining(['src/dev/fake-github.ts', 'src/dev/oidc-issuer.ts', 'src/dev/fake-buildkite.ts', 'src/main.ts']),
    );
  });
});
