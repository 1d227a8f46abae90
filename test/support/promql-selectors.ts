import type { MetricFamily } from './prometheus-text.js';

/** One label matcher of a selector, as PromQL writes it: `name="v"`, `!=`, `=~`, `!~`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A series selector: a metric name and its matchers. */
export interface SeriesSelector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

/** Words that look like metric names in PromQL but are not. */
const keywords = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan']);

/**
 * The series selectors of a PromQL expression, for checking that a query names series that
 * exist: every `name{…}` or bare `name` that is not a function call, keyword or label list.
 * Enough for the expressions this repository ships (no strings outside matchers, no `@`);
 * throws on a selector without a metric name.
 */
export function seriesSelectors(expr: string): SeriesSelector[] {
  // Label lists name labels, not metrics; ranges and durations are no names either.
  const stripped = expr
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+\w+/g, ' ');
  const selectors: SeriesSelector[] = [];
  for (const match of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^}]*\})?(\s*\()?/g)) {
    const [, name, braces, call] = match;
    if (name === undefined && braces === undefined) continue;
    if (name === undefined) throw new Error(`a selector without a metric name in ${expr}`);
    if (call !== undefined || keywords.has(name.toLowerCase()) || /^\d/.test(name)) continue;
    selectors.push({ metric: name, matchers: parseMatchers(braces ?? '{}') });
  }
  return selectors;
}

function parseMatchers(braces: string): LabelMatcher[] {
  return [...braces.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map(([, label = '', op, value = '']) => ({
    label,
    // The pattern above admits only these four.
    op: op as LabelMatcher['op'],
    value: value.replace(/\\(.)/g, '$1'),
  }));
}

function matches(matcher: LabelMatcher, actual: string): boolean {
  const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`).test(actual);
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return anchored(matcher.value);
    case '!~':
      return !anchored(matcher.value);
  }
}

/** Whether some sample of a scraped page is selected by `selector` (a missing label is ""). */
export function selectsSome(families: ReadonlyMap<string, MetricFamily>, selector: SeriesSelector): boolean {
  return [...families.values()]
    .flatMap((family) => family.samples)
    .some(
      (sample) =>
        sample.name === selector.metric && selector.matchers.every((matcher) => matches(matcher, sample.labels[matcher.label] ?? '')),
    );
}
