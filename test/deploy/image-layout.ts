import { cp, mkdir, symlink } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { DockerStage } from '../support/dockerfile.js';
import { dockerfile, instructionsOf, repoRoot } from './deploy-files.js';

/** The image's WORKDIR: where its ENTRYPOINT runs and its relative COPY destinations land. */
export const workdirOf = (image: DockerStage): string => instructionsOf(image, 'WORKDIR').at(-1)?.args ?? '/';

/**
 * Lays out in `dir` the WORKDIR of the image that `docker build --target <target>` makes, as
 * its COPY instructions fill it, from this checkout: files from the build context come from
 * the repository; another stage's WORKDIR is the repository after that stage's `mv` and
 * `rm` commands, its `npm run build` being the suite setup's build of dist/; a
 * `node_modules` is linked to the repository's rather than copied.
 */
export async function layOutImage(target: string, dir: string): Promise<void> {
  const { stages, image } = dockerfile();
  const built = image(target);
  const workdir = workdirOf(built);
  for (const copy of instructionsOf(built, 'COPY')) {
    const words = copy.args.split(/\s+/);
    const destination = join(dir, posix.relative(workdir, posix.resolve(workdir, words.at(-1) ?? '')));
    const sources = words.slice(0, -1);
    const from = copy.flags['from'];
    const stage = stages.find((candidate) => candidate.name === from);
    if (from !== undefined && stage === undefined) throw new Error(`COPY --from=${from}: no such stage`);
    for (const source of sources) {
      const into = sources.length > 1 || words.at(-1)?.endsWith('/') ? join(destination, basename(source)) : destination;
      await mkdir(join(into, '..'), { recursive: true });
      if (stage === undefined) await cp(join(repoRoot, source), into, { recursive: true });
      else await copyFromStage(stage, posix.relative(workdirOf(stage), source), into);
    }
  }
}

/** Copies `path` (relative to the stage's WORKDIR) as the stage left it. */
async function copyFromStage(stage: DockerStage, path: string, into: string): Promise<void> {
  const inRepository = locate(stage, path);
  if (inRepository === undefined) throw new Error(`stage ${stage.name ?? ''} has no ${path}`);
  if (basename(path) === 'node_modules') return symlink(join(repoRoot, inRepository), into, 'dir');
  const filter = (file: string) => locate(stage, path + file.slice(join(repoRoot, inRepository).length)) !== undefined;
  await cp(join(repoRoot, inRepository), into, { recursive: true, filter });
}

/** Where a path of the stage's WORKDIR comes from in the repository; undefined when moved away or removed. */
function locate(stage: DockerStage, path: string): string | undefined {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}/`);
  for (const [from, to] of moves(stage)) {
    if (to !== undefined && within(path, to)) return from + path.slice(to.length);
    if (within(path, from)) return undefined;
  }
  return path;
}

/** The stage's `mv FROM TO` and `rm -f PATH` (as `[PATH, undefined]`) commands. */
function moves(stage: DockerStage): [string, string | undefined][] {
  return instructionsOf(stage, 'RUN')
    .flatMap((run) => run.args.split(/&&|;/))
    .map((command) => command.trim().split(/\s+/))
    .flatMap((words): [string, string | undefined][] => {
      if (words[0] === 'mv' && words.length === 3) return [[words[1] ?? '', words[2]]];
      if (words[0] === 'rm') return words.slice(1).filter((word) => !word.startsWith('-')).map((path) => [path, undefined]);
      return [];
    });
}
