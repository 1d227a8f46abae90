import { describe, expect, it } from 'vitest';
import { parsePrometheusText, valueOf } from '../support/prometheus-text.js';

const page = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('the strict Prometheus text reader', () => {
  describe('when the page is well formed', () => {
    it('reads families, help, escaped label values and special values', () => {
      const families = parsePrometheusText(
        page(
          '# HELP demo_total A counter with a \\\\ and a \\n in its help.',
          '# TYPE demo_total counter',
          'demo_total{path="a\\"b\\\\c\\nd",kind="x"} 3',
          'demo_total{path="plain",kind="x",} 4 1700000000000',
          '# A plain comment',
          '# TYPE demo_gauge gauge',
          'demo_gauge NaN',
          '# TYPE demo_up gauge',
          'demo_up -Inf',
          '# TYPE demo_lag gauge',
          'demo_lag Nan',
        ),
      );
      expect(families.get('demo_total')).toEqual({
        name: 'demo_total',
        type: 'counter',
        help: 'A counter with a \\ and a \n in its help.',
        samples: [
          { name: 'demo_total', labels: { path: 'a"b\\c\nd', kind: 'x' }, value: 3 },
          { name: 'demo_total', labels: { path: 'plain', kind: 'x' }, value: 4 },
        ],
      });
      expect(valueOf(families, 'demo_gauge')).toBeNaN();
      expect(valueOf(families, 'demo_up')).toBe(Number.NEGATIVE_INFINITY);
      // Values follow Go's ParseFloat, as Prometheus reads them: prom-client writes `Nan`.
      expect(valueOf(families, 'demo_lag')).toBeNaN();
    });

    it('accepts a whole histogram', () => {
      const families = parsePrometheusText(
        page(
          '# TYPE h histogram',
          'h_bucket{le="0.1",r="a"} 1',
          'h_bucket{le="1",r="a"} 2',
          'h_bucket{le="+Inf",r="a"} 2',
          'h_sum{r="a"} 0.6',
          'h_count{r="a"} 2',
        ),
      );
      expect(valueOf(families, 'h_count', { r: 'a' })).toBe(2);
    });
  });

  describe('when the page breaks the format', () => {
    it.each([
      ['a sample without TYPE', page('orphan 1')],
      ['a sample of another family', page('# TYPE a counter', 'b 1')],
      ['a second TYPE', page('# TYPE a counter', 'a 1', '# TYPE a counter')],
      ['a second HELP', page('# HELP a x', '# HELP a y', '# TYPE a counter')],
      ['HELP of an undeclared family', page('# HELP a x')],
      ['an unknown type', page('# TYPE a thing')],
      ['a repeated series', page('# TYPE a counter', 'a{x="1"} 1', 'a{x="1"} 2')],
      ['an unquoted label value', page('# TYPE a counter', 'a{x=1} 1')],
      ['an unknown escape', page('# TYPE a counter', 'a{x="\\t"} 1')],
      ['a bad label name', page('# TYPE a counter', 'a{1x="1"} 1')],
      ['labels without commas', page('# TYPE a counter', 'a{x="1" y="2"} 1')],
      ['a repeated label', page('# TYPE a counter', 'a{x="1",x="2"} 1')],
      ['a value that is not a number', page('# TYPE a counter', 'a one')],
      ['two spaces before the value', page('# TYPE a counter', 'a  1')],
      ['no newline at the end', '# TYPE a counter\na 1'],
      ['a histogram without +Inf', page('# TYPE h histogram', 'h_bucket{le="1"} 1', 'h_sum 1', 'h_count 1')],
      ['a histogram without _count', page('# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_sum 1')],
      ['buckets that fall', page('# TYPE h histogram', 'h_bucket{le="1"} 2', 'h_bucket{le="+Inf"} 1', 'h_sum 1', 'h_count 1')],
      ['+Inf unlike _count', page('# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_sum 1', 'h_count 2')],
      ['a bucket without le', page('# TYPE h histogram', 'h_bucket 1', 'h_sum 1', 'h_count 1')],
    ])('refuses %s', (_what, text) => {
      expect(() => parsePrometheusText(text)).toThrow();
    });
  });
});
