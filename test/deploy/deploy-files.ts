import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { referenceVariables } from '../../src/config/config-reference.js';
import { envSchema } from '../../src/config/env-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { parseDockerfile, type DockerInstruction, type DockerStage } from '../support/dockerfile.js';

/** The repository root, where Dockerfile, .dockerignore and docker-compose.yml live. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const readRepoFile = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/**
 * The parsed Dockerfile; `final`, its last stage, is what `docker build` makes by default;
 * `image(name)` is the image the stage `name` builds (for `--target name`). Both are resolved
 * as Docker resolves them: a stage FROM an earlier stage starts with that stage's
 * instructions, so `base` is the external image at the root of the chain.
 */
export function dockerfile(): { stages: DockerStage[]; final: DockerStage; image(name: string): DockerStage } {
  const { stages } = parseDockerfile(readRepoFile('Dockerfile'));
  const image = (name: string): DockerStage => {
    const index = stages.findLastIndex((stage) => stage.name === name);
    const stage = stages[index];
    if (stage === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
    const parent = stages.slice(0, index).some((earlier) => earlier.name === stage.base) ? image(stage.base) : undefined;
    if (parent === undefined) return stage;
    return { base: parent.base, name, instructions: [...parent.instructions, ...stage.instructions] };
  };
  const last = stages.at(-1);
  if (last === undefined) throw new Error('the Dockerfile has no stage');
  return { stages, final: last.name === undefined ? last : image(last.name), image };
}

/** The instructions of a stage with the given keyword, in order. */
export const instructionsOf = (stage: DockerStage, keyword: string): DockerInstruction[] =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);

/** A compose service, as far as these tests read it. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string; readonly target?: string };
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>>;
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly (string | { readonly source?: string; readonly target?: string; readonly read_only?: boolean })[];
  readonly healthcheck?: { readonly test?: readonly string[]; readonly disable?: boolean };
}

/** docker-compose.yml with YAML merge keys (`<<`) applied, as Compose applies them. */
export function composeFile(): { services: Record<string, ComposeService>; volumes?: Record<string, unknown> } {
  const parsed: unknown = parse(readRepoFile('docker-compose.yml'), { merge: true });
  if (typeof parsed !== 'object' || parsed === null || !('services' in parsed)) throw new Error('no services');
  // The shape is asserted by the tests that read it; a wrong shape fails them with a clear diff.
  return parsed as { services: Record<string, ComposeService> };
}

/** A service, or a thrown error naming it when the compose file lacks it. */
export function service(name: string): ComposeService {
  const found = composeFile().services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The service's environment as strings (Compose passes every scalar as text). */
export function environmentOf(compose: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(compose.environment ?? {}).map(([name, value]) => [name, String(value ?? '')]));
}

/** The value of `--flag` in a command line. */
export function flagValue(command: readonly string[], flag: string): string | undefined {
  const index = command.indexOf(flag);
  return index < 0 ? undefined : command[index + 1];
}

/** The names among `names` that the configuration schema does not know. */
export const unknownVariables = (names: Iterable<string>): string[] => [...names].filter((name) => !(name in envSchema.shape));

/** The schema's secret variables: a deployment gives them from a secret store, never in plain text. */
export const secretVariables: readonly string[] = referenceVariables(envSchema)
  .filter((variable) => variable.secret)
  .map((variable) => variable.name);

/**
 * The problems the configuration loader finds in `env`, as the service would read it at
 * start-up; `files` stands in for the files it names (a mounted key), by path.
 */
export function configProblems(env: Record<string, string>, files: Record<string, string> = {}): string[] {
  const loaded = loadConfig(env, (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`no such file ${path}`), { code: 'ENOENT' });
    return text;
  });
  return loaded.ok ? [] : loaded.problems;
}
