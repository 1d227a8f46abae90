import { RE2JS } from 're2js';
import type { BuildkiteClaims } from '../oidc/buildkite-claims.js';
import { isMatchableClaim, lookupValidClaim } from './claim-lookup.js';
import type { ClaimMatch, ClaimMatcher, MatchResult } from './profile.js';
import type { MatchRuleConfig } from './profile-file-schema.js';

/** The outcome of compiling a profile's match rules; `reason` is the audit detail. */
export type MatchRulesResult = { ok: true; match: ClaimMatcher } | { ok: false; reason: string };

interface CompiledRule {
  readonly claim: string;
  /** The `value` or `valuePattern` as written: what the audit record shows. */
  readonly pattern: string;
  readonly test: (value: string) => boolean;
}

type RuleResult = { ok: true; rule: CompiledRule } | { ok: false; reason: string };

/**
 * Compiles match rules into one matcher. Each rule names a matchable claim and exactly one
 * non-empty `value` (exact, case-sensitive) or `valuePattern` (RE2, matched against the
 * whole value). The matcher ANDs the rules in order and stops at the first failure; no
 * rules match everyone. A claim that is not found is a plain non-match (value `""`).
 * Patterns run on RE2 (linear time), so an attacker-chosen branch name cannot make a
 * pattern backtrack catastrophically. Never throws; the first bad rule is the reason.
 * The matcher throws ClaimInvalidError for a value it refuses, looking only at used claims.
 */
export function compileMatchRules(rules: readonly MatchRuleConfig[]): MatchRulesResult {
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    const result = compileRule(rule);
    if (!result.ok) return result;
    compiled.push(result.rule);
  }
  return { ok: true, match: (claims) => evaluate(compiled, claims) };
}

function compileRule(rule: MatchRuleConfig): RuleResult {
  const { claim } = rule;
  const value = rule.value ?? '';
  const valuePattern = rule.valuePattern ?? '';
  const invalid = (problem: string): RuleResult => ({
    ok: false,
    reason: `invalid match rule for claim ${JSON.stringify(claim)}: ${problem}`,
  });
  if (value !== '' && valuePattern !== '') return invalid("exactly one of 'value' or 'valuePattern' must be specified");
  if (value === '' && valuePattern === '') return invalid("one of 'value' or 'valuePattern' is required");
  if (!isMatchableClaim(claim)) return invalid(`claim ${JSON.stringify(claim)} is not allowed for matching`);
  if (value !== '') return { ok: true, rule: { claim, pattern: value, test: (actual) => actual === value } };
  const compiled = compileAnchored(valuePattern);
  if (!compiled.ok) return compiled;
  return { ok: true, rule: { claim, pattern: valuePattern, test: compiled.test } };
}

/**
 * The pattern as a whole-value test. It is compiled alone first: only a pattern that is
 * well-formed by itself is wrapped in `\A(?:…)\z`, so `a)|(b` cannot close the group and
 * escape the anchors.
 */
function compileAnchored(pattern: string): { ok: true; test: (value: string) => boolean } | { ok: false; reason: string } {
  try {
    RE2JS.compile(pattern);
    const anchored = RE2JS.compile(`\\A(?:${pattern})\\z`);
    return { ok: true, test: (value) => anchored.test(value) };
  } catch (error) {
    // Any failure of the regex compiler, including its own limits, makes the rule invalid.
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `failed to compile regex pattern ${JSON.stringify(pattern)}: ${detail}` };
  }
}

function evaluate(rules: readonly CompiledRule[], claims: BuildkiteClaims): MatchResult {
  const matches: ClaimMatch[] = [];
  for (const { claim, pattern, test } of rules) {
    const value = lookupValidClaim(claims, claim);
    if (value === undefined || !test(value)) {
      return { matched: false, attempted: { claim, pattern, value: value ?? '' } };
    }
    matches.push({ claim, value });
  }
  return { matched: true, matches };
}
