import { z } from 'zod';

/** A list that may be absent or null in the file (YAML `key:`); either reads as empty. */
const listOf = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((list) => list ?? []);

const matchRuleSchema = z.strictObject({
  claim: z.string(),
  value: z.string().nullish(),
  valuePattern: z.string().nullish(),
});

const organizationProfileSchema = z.strictObject({
  name: z.string(),
  /** token-bridge's own: the GitHub account whose repositories these are (default: the default installation's). */
  owner: z.string().optional(),
  match: listOf(matchRuleSchema),
  repositories: listOf(z.string()),
  permissions: listOf(z.string()),
});

/** No `repositories` and no `owner`: a pipeline profile's token is for the pipeline's own repository. */
const pipelineProfileSchema = z.strictObject({
  name: z.string(),
  match: listOf(matchRuleSchema),
  permissions: listOf(z.string()),
});

/**
 * The profile file (Chinmina's YAML format). Strict everywhere: an unknown key at any
 * depth (a typo such as `organisation:`, `organization.defaults`, `repositories` under a
 * pipeline profile) fails the whole file rather than being silently ignored. Every section
 * is optional; absent and null lists read as empty, so an empty `permissions` or
 * `repositories` fails only its own profile. `pipeline.defaults.permissions` stays
 * `undefined` when absent (the built-in default applies).
 */
export const profileFileSchema = z.strictObject({
  organization: z.strictObject({ profiles: listOf(organizationProfileSchema) }).nullish(),
  pipeline: z
    .strictObject({
      defaults: z.strictObject({ permissions: z.array(z.string()).nullish() }).nullish(),
      profiles: listOf(pipelineProfileSchema),
    })
    .nullish(),
});

/** A validated profile file. */
export type ProfileFile = z.infer<typeof profileFileSchema>;
/** One `match` entry as written. */
export type MatchRuleConfig = z.infer<typeof matchRuleSchema>;
/** One `organization.profiles` entry as written. */
export type OrganizationProfileConfig = z.infer<typeof organizationProfileSchema>;
/** One `pipeline.profiles` entry as written. */
export type PipelineProfileConfig = z.infer<typeof pipelineProfileSchema>;
