/** A profile file using every feature the API tests exercise. */
export const profilesYaml = `
organization:
  profiles:
    - name: shared
      repositories: [plugin-a, plugin-b]
      permissions: ["contents:read"]
    - name: release
      match:
        - claim: pipeline_slug
          value: widget
        - claim: build_branch
          valuePattern: "main|master"
      repositories: [release-tools]
      permissions: ["contents:write"]
    - name: everything
      repositories: ["{{all-repositories}}"]
      permissions: ["contents:read"]
    - name: scoped
      match: [{ claim: pipeline_slug, value: widget }]
      repositories: ["{{caller-scoped-repository}}"]
      permissions: ["contents:write", "pull_requests:write"]
    - name: tagged
      match: [{ claim: "agent_tag:queue", value: trusted }]
      repositories: [infra]
      permissions: ["contents:read"]
    - name: broken
      match: [{ claim: job_id, value: x }]
      repositories: [anything]
      permissions: ["contents:read"]
    - name: twin
      repositories: [one]
      permissions: ["contents:read"]
    - name: twin
      repositories: [two]
      permissions: ["contents:write"]
pipeline:
  defaults:
    permissions: ["contents:read", "statuses:write"]
  profiles:
    - name: release
      match: [{ claim: build_branch, value: main }]
      permissions: ["contents:write"]
`;
