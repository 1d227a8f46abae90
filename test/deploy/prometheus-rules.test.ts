import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { anchorOf, headingsOf } from '../support/markdown.js';
import { requireCommand } from '../support/system-tool.js';
import { readRepoFile, repoRoot } from './deploy-files.js';

const rulesPath = 'deploy/prometheus/token-bridge.rules.yaml';
const testsPath = 'deploy/prometheus/token-bridge.rules.test.yaml';

interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly labels: { readonly severity: string };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

// The shapes are promtool's; `promtool check rules` below checks the files themselves.
const rules = (parse(readRepoFile(rulesPath)) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((group) => group.rules);
const unitTests = (parse(readRepoFile(testsPath)) as { tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[] }).tests;

/** Runs promtool with `args` from the repository root; its exit code and output. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(requireCommand('promtool', 'prometheus'), args, { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy/prometheus', () => {
  it('passes promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', rulesPath);
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(status).toBe(0);
  });

  it('passes its unit tests under promtool test rules', () => {
    const { status, output } = promtool('test', 'rules', testsPath);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('has unit tests in which every alert both fires and stays quiet', () => {
    const checks = unitTests.flatMap((test) => test.alert_rule_test);
    for (const { alert } of rules) {
      const ofAlert = checks.filter((check) => check.alertname === alert);
      expect(ofAlert.some((check) => check.exp_alerts.length > 0), `${alert} fires`).toBe(true);
      expect(ofAlert.some((check) => check.exp_alerts.length === 0), `${alert} stays quiet`).toBe(true);
    }
  });

  it('labels every alert critical or warning and describes it', () => {
    for (const { alert, labels, annotations } of rules) {
      expect(['critical', 'warning'], alert).toContain(labels.severity);
      expect(annotations.summary, alert).not.toBe('');
      expect(annotations.description, alert).not.toBe('');
    }
  });

  it("links every alert to its own section of the runbook, which has one section per alert", () => {
    const runbook = headingsOf(readRepoFile('docs/runbook.md')).filter((heading) => heading.startsWith('TokenBridge'));
    expect(runbook).toEqual(rules.map((rule) => rule.alert));
    for (const { alert, annotations } of rules) {
      expect(annotations.runbook_url).toBe(`docs/runbook.md#${anchorOf(alert)}`);
    }
  });
});

