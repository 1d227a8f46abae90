/** The access a permission grants. */
export type PermissionAction = 'read' | 'write';

/** GitHub's installation-permission fields (the `permissions` object of an access-token request). */
export const permissionFields: ReadonlySet<string> = new Set(
  `actions actions_variables administration attestations blocking checks codespaces
  codespaces_lifecycle_admin codespaces_metadata codespaces_secrets codespaces_user_secrets contents
  content_references copilot_messages dependabot_secrets deployments discussions emails
  enterprise_ai_controls enterprise_copilot_metrics enterprise_credentials enterprise_custom_enterprise_roles
  enterprise_custom_org_roles enterprise_custom_properties enterprise_custom_properties_for_organizations
  enterprise_organizations enterprise_organization_installations enterprise_organization_installation_repositories
  enterprise_people enterprise_sso enterprise_teams environments followers gists git_signing_ssh_public_keys
  gpg_keys interaction_limits issues keys metadata members merge_queues organization_actions_variables
  organization_administration organization_announcement_banners organization_api_insights
  organization_codespaces organization_codespaces_secrets organization_codespaces_settings
  organization_copilot_metrics organization_copilot_seat_management organization_custom_properties
  organization_custom_roles organization_custom_org_roles organization_dependabot_secrets organization_events
  organization_hooks organization_knowledge_bases organization_packages organization_personal_access_tokens
  organization_personal_access_token_requests organization_plan organization_pre_receive_hooks
  organization_projects organization_secrets organization_self_hosted_runners organization_user_blocking
  packages pages plan profile pull_requests repository_advisories repository_custom_properties
  repository_hooks repository_projects repository_pre_receive_hooks secrets secret_scanning_alerts
  security_events single_file starring statuses team_discussions user_events vulnerability_alerts
  watching workflows`.split(/\s+/),
);

export type PermissionsResult =
  | { ok: true; permissions: Record<string, PermissionAction> }
  | { ok: false; problems: string[] };

/**
 * Reads `field:action` entries (split on the first `:`) into GitHub's permissions object;
 * a repeated field keeps its last action. Every malformed entry is reported.
 */
export function toGitHubPermissions(entries: readonly string[]): PermissionsResult {
  const permissions: Record<string, PermissionAction> = {};
  const problems: string[] = [];
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    if (separator < 0) {
      problems.push(`malformed scope "${entry}": expected format "field:action"`);
      continue;
    }
    const field = entry.slice(0, separator);
    const action = entry.slice(separator + 1);
    if (!permissionFields.has(field)) problems.push(`invalid permission field "${field}"`);
    else if (action !== 'read' && action !== 'write') {
      problems.push(`invalid permission action "${action}": must be one of [read write]`);
    } else permissions[field] = action;
  }
  return problems.length === 0 ? { ok: true, permissions } : { ok: false, problems };
}

/** Appends `metadata:read` unless present, keeping order: every token carries it (as GitHub's own). */
export function withMetadataRead(entries: readonly string[]): string[] {
  return entries.includes('metadata:read') ? [...entries] : [...entries, 'metadata:read'];
}
