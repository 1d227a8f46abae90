/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: it throws,
 * naming the line, for anything a scraper could refuse or misread.
 */

/** One sample line. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family: its `# TYPE`, `# HELP` and samples. */
export interface MetricFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string | undefined;
  readonly samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const types: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'] satisfies MetricFamily['type'][];
const isType = (text: string): text is MetricFamily['type'] => types.includes(text);
const suffixes: Readonly<Record<MetricFamily['type'], readonly string[]>> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/**
 * Parses a page. Every family must be declared by `# TYPE` before its samples, at most one
 * `# HELP` and `# TYPE` each, its samples contiguous, every sample must belong to a declared
 * family (by the type's suffixes), no series may repeat, and histograms must be whole (see
 * {@link checkHistogram}).
 */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const helps = new Map<string, string>();
  const seen = new Set<string>();
  let current: MetricFamily | undefined;
  if (!text.endsWith('\n')) throw new Error('the page must end with a newline');
  text.slice(0, -1).split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line) ?? [];
      if (keyword === undefined || name === undefined || rest === undefined) return; // a plain comment
      if (!metricName.test(name)) fail('invalid metric name');
      if (keyword === 'HELP') {
        if (helps.has(name)) fail('second HELP');
        helps.set(name, unescapeHelp(rest, fail));
        return;
      }
      if (families.has(name)) fail('second TYPE');
      if (!isType(rest)) return fail('unknown type');
      current = { name, type: rest, help: undefined, samples: [] };
      families.set(name, current);
      return;
    }
    const sample = parseSample(line, fail);
    if (current === undefined || !belongsTo(sample.name, current)) fail('sample outside its declared family');
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(series)) fail('repeated series');
    seen.add(series);
    current?.samples.push(sample);
  });
  for (const [name, help] of helps) {
    const family = families.get(name);
    if (family === undefined) throw new Error(`HELP for undeclared family ${name}`);
    families.set(name, { ...family, help });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function belongsTo(name: string, family: MetricFamily): boolean {
  return suffixes[family.type].some((suffix) => name === family.name + suffix);
}

/** `name{label="value",…} value [timestamp]`, with label values' escapes undone. */
function parseSample(line: string, fail: (why: string) => never): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? fail('no metric name');
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(,?)/.exec(rest);
      const [whole = '', label = '', raw = '', comma = ''] = match ?? fail('malformed label');
      if (Object.hasOwn(labels, label)) fail('repeated label');
      labels[label] = unescapeLabel(raw, fail);
      rest = rest.slice(whole.length);
      if (comma === '' && !rest.startsWith('}')) fail('labels not separated by commas');
    }
    rest = rest.slice(1);
  }
  // An optional timestamp (integer ms) may follow the value; it is checked, not kept.
  const [, valueText = ''] = /^ (\S+)(?: -?\d+)?$/.exec(rest) ?? fail('malformed value or timestamp');
  return { name, labels, value: parseValue(valueText, fail) };
}

/**
 * A value as the format defines it, by Go's `strconv.ParseFloat`: a decimal float, or
 * NaN and (signed) Inf or Infinity in any case (prom-client writes `Nan`).
 */
function parseValue(text: string, fail: (why: string) => never): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinity = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinity) return infinity[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) fail('value is not a number');
  return Number(text);
}

function unescapeLabel(raw: string, fail: (why: string) => never): string {
  return raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === '\\' || c === '"' ? c : fail('unknown escape')));
}

function unescapeHelp(raw: string, fail: (why: string) => never): string {
  return raw.replace(/\\(.)?/g, (_, c: string | undefined) => (c === 'n' ? '\n' : c === '\\' ? c : fail('unknown escape in HELP')));
}

/**
 * Every series of a histogram (its labels without `le`) has buckets with numeric, rising
 * `le` bounds ending at `+Inf`, cumulative counts, and `_sum` and `_count`, the count equal
 * to the `+Inf` bucket.
 */
export function checkHistogram(family: MetricFamily): void {
  const keyOf = (labels: Readonly<Record<string, string>>) =>
    JSON.stringify(Object.entries(labels).filter(([name]) => name !== 'le').sort());
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const sample of family.samples) {
    const entry = series.get(keyOf(sample.labels)) ?? { buckets: [] };
    series.set(keyOf(sample.labels), entry);
    if (sample.name.endsWith('_sum')) entry.sum = sample.value;
    else if (sample.name.endsWith('_count')) entry.count = sample.value;
    else {
      const le = sample.labels.le;
      if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
      entry.buckets.push([parseValue(le, (why) => { throw new Error(`${family.name}: le ${why}`); }), sample.value]);
    }
  }
  for (const [key, { buckets, sum, count }] of series) {
    const where = `${family.name}${key}`;
    if (sum === undefined || count === undefined) throw new Error(`${where}: _sum or _count missing`);
    if (buckets.at(-1)?.[0] !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket last`);
    buckets.forEach(([le, value], i) => {
      const previous = buckets[i - 1];
      if (previous !== undefined && (le <= previous[0] || value < previous[1])) throw new Error(`${where}: buckets not cumulative`);
    });
    if (buckets.at(-1)?.[1] !== count) throw new Error(`${where}: +Inf bucket differs from _count`);
  }
}

/** The value of the one sample named `name` whose labels include `labels`; throws unless exactly one. */
export function valueOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const matching = [...families.values()]
    .flatMap((family) => family.samples)
    .filter((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v));
  if (matching.length !== 1) throw new Error(`${matching.length} samples of ${name} ${JSON.stringify(labels)}`);
  return matching[0]?.value ?? Number.NaN;
}
