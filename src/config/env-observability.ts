import { boolean, inGroup, integer, oneOf, optionalText, secretText } from './env-fields.js';

/**
 * The Prometheus metrics, OpenTelemetry and Not supported sections: what is exported and how, and
 * Chinmina's Pyroscope variables, which are accepted only at their defaults.
 */
export const observabilityEnv = {
  ...inGroup('Prometheus metrics', {
    METRICS_ENABLED: boolean('Serve Prometheus metrics at `/metrics` (no authentication, no audit record).', true),
    METRICS_PORT: integer(
      'Serve `/metrics` only on this port, apart from the routes pipelines call, so a caller without a token learns no profile name. `0` is the operator\'s explicit opt-out: `/metrics`, with profile names and per-profile outcomes, is then served unauthenticated on `SERVER_PORT` beside `/healthcheck`, and start-up logs a warning saying so.',
      9090,
      { min: 0, max: 65_535 },
    ),
  }),

  // Endpoints, headers and resource attributes come from the standard `OTEL_*` variables.
  ...inGroup('OpenTelemetry', {
    OBSERVE_ENABLED: boolean('Export OpenTelemetry traces (and, with `OBSERVE_METRICS_ENABLED`, metrics).', false),
    OBSERVE_METRICS_ENABLED: boolean('Export OpenTelemetry metrics over OTLP when `OBSERVE_ENABLED` is on.', true),
    OBSERVE_TYPE: oneOf(
      'OpenTelemetry exporter: `grpc` (OTLP/gRPC), `http` (OTLP/HTTP protobuf) or `stdout`. Any other value stops start-up.',
      ['grpc', 'http', 'stdout'],
      'grpc',
    ),
    OBSERVE_SERVICE_NAME: optionalText(
      'OpenTelemetry `service.name` resource attribute; Chinmina\'s default, so existing dashboards keep matching.',
      'chinmina-bridge',
    ),
    OBSERVE_TRACE_BATCH_TIMEOUT_SECS: integer('Seconds spans wait in the batch before export.', 20, { min: 1, max: 3600 }),
    OBSERVE_METRIC_READ_INTERVAL_SECS: integer('Seconds between OTLP metric exports.', 60, { min: 1, max: 3600 }),
    OBSERVE_HTTP_TRANSPORT_ENABLED: boolean('Client spans for outbound HTTP calls (GitHub, Buildkite, OIDC discovery).', true),
    OBSERVE_CONNECTION_TRACE_ENABLED: boolean(
      'Connection events on outbound client spans: whether the connection was reused, when it was established, when the request headers were sent and the response headers arrived.',
      true,
    ),
    OBSERVE_OTEL_LOG_LEVEL: oneOf(
      'Level of the OpenTelemetry SDK\'s own diagnostics in the service log; `none` silences them (a blank value means `info`).',
      ['debug', 'info', 'warn', 'error', 'none'],
      'info',
    ),
  }),

  ...inGroup('Not supported', {
    OBSERVE_PYROSCOPE_ENABLED: boolean(
      'Not supported: Chinmina\'s continuous profiling with Pyroscope. Any of these variables set to other than its default stops start-up.',
      false,
    ),
    OBSERVE_PYROSCOPE_SERVER_ADDRESS: optionalText('Not supported: Pyroscope server address.'),
    OBSERVE_PYROSCOPE_BASIC_AUTH_USER: optionalText('Not supported: Pyroscope basic-auth user.'),
    OBSERVE_PYROSCOPE_BASIC_AUTH_PASSWORD: secretText('Not supported: Pyroscope basic-auth password.'),
    OBSERVE_PYROSCOPE_EXPERIMENT: optionalText('Not supported: Pyroscope `experiment` tag.'),
  }),
};
