import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDockerIgnored } from '../support/dockerfile.js';
import { dockerfile, instructionsOf, readRepoFile, repoRoot } from './deploy-files.js';

const secretName = /key|token|secret|passw|credential|private/i;
const secretFile = /\.pem$|\.key$|\.p12$|(^|\/)\.env|id_rsa|keyset/i;

describe('the Dockerfile', () => {
  const { stages, final } = dockerfile();

  it('builds in separate named stages and ends in the image stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names = stages.map((stage) => stage.name);
    expect(names.every((name) => name !== undefined)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('bases every stage on an official Docker Hub image or an earlier stage, naming no registry host', () => {
    const earlier = new Set<string>();
    for (const stage of stages) {
      // Official images have no path component: `node:24-alpine`, never `host/…` or `org/…`.
      const official = /^[a-z0-9._-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/.test(stage.base);
      expect(official || earlier.has(stage.base), stage.base).toBe(true);
      if (stage.name !== undefined) earlier.add(stage.name);
    }
  });

  describe('in its final stage', () => {
    it('runs on Node 24', () => {
      expect(final.base).toMatch(/^node:24(-[a-z0-9.]+)*$/);
    });

    it('runs as a non-root user', () => {
      const user = instructionsOf(final, 'USER').at(-1)?.args;
      expect(user).toBeDefined();
      expect(['root', '0', '0:0']).not.toContain(user?.split(':')[0]);
      expect(user).not.toMatch(/^0(:|$)/);
    });

    it('starts `node dist/cli.js serve` in exec form, so node itself receives SIGTERM', () => {
      const entrypoint = instructionsOf(final, 'ENTRYPOINT');
      const cmd = instructionsOf(final, 'CMD');
      expect(entrypoint).toHaveLength(1);
      expect(cmd).toHaveLength(1);
      expect(entrypoint[0]?.exec).toEqual(['node', 'dist/cli.js']);
      expect(cmd[0]?.exec).toEqual(['serve']);
      expect(instructionsOf(final, 'WORKDIR').at(-1)?.args).toBe('/app');
    });

    it('copies node_modules from a stage that installed production dependencies only', () => {
      const copy = instructionsOf(final, 'COPY').find((instruction) => /node_modules/.test(instruction.args));
      const source = stages.find((stage) => stage.name === copy?.flags['from']);
      const installs = source === undefined ? [] : instructionsOf(source, 'RUN').filter((run) => /\bnpm ci\b/.test(run.args));
      expect(installs.length).toBeGreaterThan(0);
      for (const install of installs) expect(install.args).toMatch(/--omit=dev\b/);
    });

    it('copies the compiled code from the build stage and only runtime files from the context', () => {
      const copies = instructionsOf(final, 'COPY');
      const build = stages.find((stage) => instructionsOf(stage, 'RUN').some((run) => /npm run build/.test(run.args)));
      expect(copies.some((copy) => copy.flags['from'] === build?.name && /\bdist\b/.test(copy.args))).toBe(true);
      const fromContext = copies.filter((copy) => copy.flags['from'] === undefined).flatMap((copy) => sources(copy.args));
      expect(fromContext.sort()).toEqual(['package.json', 'profiles.example.yaml']);
    });

    it('exposes 8080 and the metrics port 9090, and checks liveness with an exec-form HEALTHCHECK', () => {
      expect(instructionsOf(final, 'EXPOSE').map((expose) => expose.args)).toEqual(['8080 9090']);
      const healthcheck = instructionsOf(final, 'HEALTHCHECK');
      expect(healthcheck).toHaveLength(1);
      expect(healthcheck[0]?.exec?.slice(0, 2)).toEqual(['node', '-e']);
      expect(healthcheck[0]?.exec?.[2]).toContain('/livez');
    });
  });

  describe('keeps the stand-ins and the demo (src/dev) out of the production image', () => {
    const build = stages.find((stage) => instructionsOf(stage, 'RUN').some((run) => /npm run build/.test(run.args)));
    const moved = instructionsOf(build ?? final, 'RUN')
      .flatMap((run) => [...run.args.matchAll(/\bmv dist\/dev (\S+)/g)])
      .map(([, aside = '']) => aside);
    const copiesFromBuild = (image: typeof final) =>
      instructionsOf(image, 'COPY').filter((copy) => copy.flags['from'] === build?.name);

    it('ends in the production stage, runtime, which `docker build` makes by default', () => {
      expect(final.name).toBe('runtime');
    });

    it('compiles them with the rest in the build stage, then moves dist/dev aside', () => {
      expect(moved).toHaveLength(1);
      expect(moved[0]).not.toMatch(/^dist(\/|$)/);
    });

    it('copies the compiled code into the production image, but nothing set aside', () => {
      expect(copiesFromBuild(final).flatMap((copy) => sources(copy.args))).toEqual(['/app/dist']);
    });

    it('copies them back into dist/dev in the demo stage alone', () => {
      const aside = `/app/${moved[0] ?? ''}`;
      expect(copiesFromBuild(dockerfile().image('demo')).map((copy) => copy.args)).toEqual([
        '/app/dist ./dist',
        `${aside} ./dist/dev`,
      ]);
      const others = stages.filter((stage) => stage.name !== 'demo');
      expect(others.flatMap((stage) => instructionsOf(stage, 'COPY')).filter((copy) => copy.args.startsWith(aside))).toEqual([]);
    });
  });

  it('carries no secret: no ENV or ARG named like one, no key or env file copied in', () => {
    for (const stage of stages) {
      for (const instruction of [...instructionsOf(stage, 'ENV'), ...instructionsOf(stage, 'ARG')]) {
        const name = instruction.args.split(/[=\s]/)[0] ?? '';
        expect(name, `line ${instruction.line}`).not.toMatch(secretName);
      }
      for (const copy of [...instructionsOf(stage, 'COPY'), ...instructionsOf(stage, 'ADD')]) {
        for (const path of sources(copy.args)) expect(path, `line ${copy.line}`).not.toMatch(secretFile);
      }
    }
    expect(stages.flatMap((stage) => instructionsOf(stage, 'ADD'))).toEqual([]);
  });

  it('copies from the build context only files that exist and that .dockerignore lets through', () => {
    const ignore = readRepoFile('.dockerignore');
    const contextSources = stages.flatMap((stage) =>
      instructionsOf(stage, 'COPY')
        .filter((copy) => copy.flags['from'] === undefined)
        .flatMap((copy) => sources(copy.args)),
    );
    expect(contextSources).toContain('src');
    for (const path of contextSources) {
      expect(existsSync(join(repoRoot, path)), path).toBe(true);
      expect(isDockerIgnored(ignore, path), path).toBe(false);
    }
  });
});

describe('.dockerignore', () => {
  const ignore = readRepoFile('.dockerignore');

  it.each([
    'node_modules/fastify/package.json',
    '.git/HEAD',
    'dist/cli.js',
    'test/deploy/dockerfile.test.ts',
    'src/cli.test.ts',
    'coverage/index.html',
    'bench/cached-token.mjs',
    '.env',
    'app.pem',
    'src/dev/leftover.pem',
    'Dockerfile',
  ])('keeps %s out of the build context', (path) => {
    expect(isDockerIgnored(ignore, path)).toBe(true);
  });

  it.each(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'profiles.example.yaml', 'src/cli.ts'])(
    'sends %s',
    (path) => {
      expect(isDockerIgnored(ignore, path)).toBe(false);
    },
  );
});

/** The source paths of a COPY/ADD (all words but the last, the destination). */
function sources(args: string): string[] {
  return args.split(/\s+/).slice(0, -1);
}
