# syntax=docker/dockerfile:1
#
# token-bridge container image.
#   docker build -t token-bridge .
#   docker run --rm -p 8080:8080 -p 9090:9090 --env-file bridge.env token-bridge   # serve
#   docker run --rm token-bridge --help                                      # every command
# Configuration comes from the environment at run time (see README.md); nothing secret is
# baked in. Mount the GitHub App key as a file and point GITHUB_APP_PRIVATE_KEY_FILE at it.
#
# The default target, `runtime`, is the production image: it holds no stand-in (fake AWS,
# GitHub, Buildkite or OIDC issuer) and no demo. `--target demo` builds the same image with
# them, for docker-compose.yml and `token-bridge demo`.

# 1. Compile TypeScript with the full (dev) dependency tree.
FROM node:24-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# src/dev (the stand-ins and the demo) compiles with the rest, then moves aside: only the
# demo stage copies it back.
RUN npm run build && rm -f dist/.tsbuildinfo \
 && mkdir stand-ins && mv dist/dev stand-ins/dev

# 2. The runtime dependency tree alone: no compiler, linters or test tools in the image.
FROM node:24-alpine AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Source maps, type declarations and READMEs are half of the installed size and nothing
# reads them at run time. Licence files stay.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o \( -name '*.md' ! -iname 'licen*' \) \) -delete

# 3. What both images share: production modules, the example profile file the demo and the
#    compose fleet serve, the user, the health check and the command; no code yet. Files
#    stay root-owned, so the service cannot rewrite itself.
FROM node:24-alpine AS runtime-base
ENV NODE_ENV=production
# V8's heap sized for a small container: a 4 MiB young generation semi-space (with the
# default 16 MiB, resident memory climbs by about 100 MiB under load; 4 MiB costs about 2%
# more CPU in garbage collection, 2 MiB about 6%) and an old generation capped at 128 MiB,
# more than twice the heap a loaded instance was seen to use (about 50 MiB). `npm run bench`
# runs the server with these flags (docs/performance.md).
ENV NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=128"
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json profiles.example.yaml ./
USER node
# The vending routes (SERVER_PORT), and /metrics on its own port (METRICS_PORT).
EXPOSE 8080 9090
# Liveness from inside the container; follows SERVER_PORT and SERVER_BASE_PATH if set.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const p = (process.env.SERVER_BASE_PATH || '').split('/').filter((s) => s.trim()).join('/'); fetch('http://127.0.0.1:' + (process.env.SERVER_PORT || '8080') + (p ? '/' + p : '') + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));"]
# Exec form: node is PID 1 and receives SIGTERM itself, so `docker stop` drains in-flight
# requests. Give the container a stop grace period longer than SERVER_SHUTDOWN_TIMEOUT_SECS
# (25 s by default) plus 5 s for the last telemetry export (Docker's own default is 10 s),
# e.g. `docker stop -t 35`.
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]

# 4. The demo image (`--target demo`): the service and the stand-ins, for a local fleet.
FROM runtime-base AS demo
COPY --from=build /app/dist ./dist
COPY --from=build /app/stand-ins/dev ./dist/dev
# Owned by `node`: a named volume mounted here (the compose fleet's throw-away App key)
# takes this owner, so `token-bridge dev-app-key` can write into it without root.
RUN mkdir /home/node/dev-keys

# 5. The production image, the default target (last): the service alone, without src/dev.
FROM runtime-base AS runtime
COPY --from=build /app/dist ./dist
