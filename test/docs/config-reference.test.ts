import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { referenceVariables, renderConfigReference } from '../../src/config/config-reference.js';
import { boolean, inGroup, integer, optionalText, requiredText, secretText } from '../../src/config/env-fields.js';
import { envSchema } from '../../src/config/env-schema.js';
import { fileVariables } from '../../src/config/secret-files.js';
import { UndocumentedVariableError } from '../../src/errors.js';

const committedPage = () => readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('the configuration reference', () => {
  it('is committed exactly as the schema renders it', () => {
    expect(
      committedPage(),
      'docs/configuration.md is out of date with src/config/env-schema.ts: run `npm run docs:config` and commit the result',
    ).toBe(renderConfigReference(envSchema));
  });

  it('lists every variable of the schema, and every _FILE form', () => {
    const page = committedPage();
    const rows = page.split('\n').filter((line) => line.split(' | ').length === 5);
    const listed = rows.map((row) => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1]).filter((name) => name !== undefined);

    expect(listed.sort()).toEqual(Object.keys(envSchema.shape).sort());
    for (const name of fileVariables) expect(page).toContain(`\`${name}_FILE\``);
  });

  it('shows defaults, required variables and secrets as the schema has them', () => {
    const byName = new Map(referenceVariables(envSchema).map((variable) => [variable.name, variable]));

    expect(byName.get('SERVER_PORT')).toMatchObject({ group: 'Server', defaultText: '`8080`', required: 'no' });
    expect(byName.get('VALKEY_TLS')).toMatchObject({ valueType: 'boolean', defaultText: '`true`' });
    expect(byName.get('JWT_BUILDKITE_ORGANIZATION_SLUG')).toMatchObject({ required: 'yes', defaultText: '—' });
    expect(byName.get('BUILDKITE_API_TOKEN')).toMatchObject({ required: 'yes', secret: true });
    expect(byName.get('GITHUB_APP_PRIVATE_KEY_FILE')).toMatchObject({ valueType: 'file path', secret: false });
    expect(byName.get('OBSERVE_TYPE')).toMatchObject({ valueType: 'one of `grpc`, `http`, `stdout`', defaultText: '`grpc`' });
  });
});

describe('rendering a schema', () => {
  const documented = inGroup('Server', {
    PORT: integer('The port.', 8080, { min: 0, max: 65_535 }),
    NAME: requiredText('A name.'),
  });

  it('fails, naming the variable, when a variable has no description', () => {
    const schema = z.object({ ...documented, UNDESCRIBED: z.string().optional() });

    expect(() => renderConfigReference(schema)).toThrow(new UndocumentedVariableError('UNDESCRIBED', 'description'));
  });

  it('fails, naming the variable, when a built variable was left out of every group', () => {
    const schema = z.object({ ...documented, LOOSE: boolean('Described, but in no section.', false) });

    expect(() => renderConfigReference(schema)).toThrow(new UndocumentedVariableError('LOOSE', 'group'));
  });

  it('fails for a blank description', () => {
    const schema = z.object({ ...inGroup('Server', { BLANK: optionalText('   ') }) });

    expect(() => renderConfigReference(schema)).toThrow(/BLANK has no description/);
  });

  it('renders a table row per variable, escaping pipes', () => {
    const schema = z.object({
      ...documented,
      ...inGroup('Secrets', { TOKEN: secretText('Either a | b.').meta({ required: 'with `NAME`' }) }),
    });

    const page = renderConfigReference(schema);

    expect(page).toContain('| `PORT` | integer 0–65535 | `8080` | no | The port. |');
    expect(page).toContain('| `NAME` | text | — | yes | A name. |');
    expect(page).toContain('| `TOKEN` | text, secret | — | with `NAME` | Either a \\| b. |');
    expect(page).toContain('- [Secrets](#secrets)');
  });
});
