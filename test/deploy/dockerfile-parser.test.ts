import { describe, expect, it } from 'vitest';
import { isDockerIgnored, parseDockerfile } from '../support/dockerfile.js';

const sample = `# syntax=docker/dockerfile:1
# a comment
FROM --platform=linux/amd64 node:24-alpine AS build
RUN npm ci \\
  # a comment inside a continuation is dropped
  --omit=dev

from build
COPY --from=build --chown=node:node /app/dist ./dist
HEALTHCHECK --interval=5s CMD ["node", "-e", "1"]
ENTRYPOINT node dist/cli.js
CMD ["serve"
`;

describe('the test Dockerfile reader', () => {
  const { stages } = parseDockerfile(sample);

  it('groups instructions into stages, with flags, names and unnamed stages', () => {
    expect(stages.map(({ base, name }) => ({ base, name }))).toEqual([
      { base: 'node:24-alpine', name: 'build' },
      { base: 'build', name: undefined },
    ]);
  });

  it('joins continuation lines and drops comments inside them', () => {
    expect(stages[0]?.instructions).toEqual([
      { keyword: 'RUN', flags: {}, args: 'npm ci --omit=dev', exec: undefined, line: 4 },
    ]);
  });

  it('separates leading flags and tells JSON (exec) form from shell form', () => {
    const [copy, healthcheck, entrypoint, cmd] = stages[1]?.instructions ?? [];
    expect(copy).toMatchObject({ keyword: 'COPY', flags: { from: 'build', chown: 'node:node' }, args: '/app/dist ./dist' });
    expect(healthcheck).toMatchObject({ flags: { interval: '5s' }, exec: ['node', '-e', '1'] });
    expect(entrypoint).toMatchObject({ args: 'node dist/cli.js', exec: undefined });
    // Not valid JSON: Docker would run it through a shell, so it is not exec form.
    expect(cmd).toMatchObject({ args: '["serve"', exec: undefined });
  });

  it('honours an escape directive', () => {
    const parsed = parseDockerfile('# escape=`\nFROM scratch\nCOPY a `\n  b /\n');
    expect(parsed.stages[0]?.instructions[0]?.args).toBe('a b /');
  });

  it('refuses an instruction before the first FROM', () => {
    expect(() => parseDockerfile('RUN true\n')).toThrow(/before the first FROM/);
  });
});

describe('the test .dockerignore matcher', () => {
  const ignore = '*\n!src\n**/*.pem\n# comment\n/dist/\n!keep.pem\n';

  it.each([
    ['node_modules/x/index.js', true],
    ['src/cli.ts', false],
    ['src/dev/key.pem', true],
    ['keep.pem', false],
    ['dist/cli.js', true],
  ])('%s ignored: %s', (path, expected) => {
    expect(isDockerIgnored(ignore, path)).toBe(expected);
  });

  it('keeps `*` inside one path segment', () => {
    expect(isDockerIgnored('src/*.ts', 'src/cli.ts')).toBe(true);
    expect(isDockerIgnored('src/*.ts', 'src/dev/demo.ts')).toBe(false);
    expect(isDockerIgnored('src/**/*.ts', 'src/dev/demo.ts')).toBe(true);
  });
});
