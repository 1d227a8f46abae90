import type { z } from 'zod';
import { UndocumentedVariableError } from '../errors.js';
import { awsVariablesSection, fileVariablesSection, otelVariablesSection, referenceIntro } from './config-reference-text.js';

/** One environment variable as the configuration reference lists it. */
export interface ReferenceVariable {
  readonly name: string;
  readonly group: string;
  readonly valueType: string;
  /** Markdown: a value in backticks, a sentence for a derived default, or `—` for none. */
  readonly defaultText: string;
  /** `yes`, `no`, or the condition under which the variable must be set. */
  readonly required: string;
  readonly secret: boolean;
  readonly description: string;
}

/** What the renderer reads from a schema: its fields by variable name, in order. */
export interface EnvSchemaShape {
  readonly shape: Readonly<Record<string, z.ZodType>>;
}

/**
 * The variables of an environment schema, in schema order, from each field's metadata
 * (`description`, `group`, `valueType`, and optionally `required`, `defaultText`,
 * `secret`, as the builders of `env-fields.ts` and `inGroup` set them). The default and
 * whether the variable is required are found by parsing an unset value.
 *
 * @throws {UndocumentedVariableError} naming the first variable without a description,
 *   a group or a type, so an undocumented variable can never reach the reference.
 */
export function referenceVariables(schema: EnvSchemaShape): ReferenceVariable[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const meta = field.meta() ?? {};
    const description = meta.description?.trim();
    if (description === undefined || description === '') throw new UndocumentedVariableError(name, 'description');
    if (meta.group === undefined || meta.group.trim() === '') throw new UndocumentedVariableError(name, 'group');
    if (meta.valueType === undefined || meta.valueType.trim() === '') throw new UndocumentedVariableError(name, 'type');
    const unset = field.safeParse(undefined);
    return {
      name,
      group: meta.group,
      valueType: meta.valueType,
      defaultText: meta.defaultText ?? (unset.success ? formatDefault(unset.data) : '—'),
      required: unset.success ? (meta.required ?? 'no') : 'yes',
      secret: meta.secret === true,
      description,
    };
  });
}

/**
 * `docs/configuration.md`: the introduction, one table per group in schema order, then
 * the `_FILE` forms and the standard AWS and OpenTelemetry variables.
 *
 * @throws {UndocumentedVariableError} as {@link referenceVariables} does.
 */
export function renderConfigReference(schema: EnvSchemaShape): string {
  const groups = new Map<string, ReferenceVariable[]>();
  for (const variable of referenceVariables(schema)) {
    groups.set(variable.group, [...(groups.get(variable.group) ?? []), variable]);
  }
  const trailing = ['Secrets in files', 'AWS SDK variables', 'OpenTelemetry SDK variables'];
  const contents = [...groups.keys(), ...trailing].map((title) => `- [${title}](#${anchorOf(title)})`);
  const sections = [...groups].map(([title, variables]) => renderGroup(title, variables));
  return `${[
    referenceIntro,
    contents.join('\n'),
    ...sections,
    fileVariablesSection,
    awsVariablesSection,
    otelVariablesSection,
  ].join('\n\n')}\n`;
}

function renderGroup(title: string, variables: readonly ReferenceVariable[]): string {
  const rows = variables.map((variable) =>
    [
      `\`${variable.name}\``,
      variable.secret ? `${variable.valueType}, secret` : variable.valueType,
      variable.defaultText,
      variable.required,
      variable.description,
    ]
      .map(cell)
      .join(' | '),
  );
  const table = ['| Variable | Type | Default | Required | Description |', '|---|---|---|---|---|'];
  return [`## ${title}`, '', ...table, ...rows.map((row) => `| ${row} |`)].join('\n');
}

function formatDefault(value: unknown): string {
  if (value === undefined || value === '') return '—';
  return `\`${String(value)}\``;
}

/** A table cell: one line, with `|` escaped so it cannot end the cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}
