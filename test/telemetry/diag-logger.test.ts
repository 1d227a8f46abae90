import { diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactCredentials } from '../../src/telemetry/diag-logger.js';
import { startTestTelemetry, type TestTelemetry } from './telemetry-fixtures.js';

let observed: TestTelemetry;
beforeAll(async () => {
  observed = await startTestTelemetry({ sdkLogLevel: 'warn' });
});
afterAll(async () => {
  await observed.telemetry.shutdown();
});

const otelLines = () => observed.logs.lines.filter((line) => line.source === 'otel');

describe("the SDK's diagnostics", () => {
  it('reach the service log tagged source otel, at OBSERVE_OTEL_LOG_LEVEL and above', () => {
    diag.info('an info line below the level');
    diag.warn('export retried');
    diag.error('export failed');

    expect(otelLines().map((line) => [line.level, line.msg])).toEqual([
      [40, 'export retried'],
      [50, 'export failed'],
    ]);
  });

  it('read an exception the SDK logged as JSON back into its class, code and message, without the stack', () => {
    const failure = Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED, token=ghs_secret123'), { code: 14 });
    diag.error(JSON.stringify({ stack: failure.stack, message: failure.message, name: failure.name, code: failure.code }));
    const [line] = otelLines().slice(-1);

    expect(line).toMatchObject({
      msg: 'Error: 14 UNAVAILABLE: connect ECONNREFUSED, token=[redacted]',
      errors: [{ type: 'Error', code: '14', message: '14 UNAVAILABLE: connect ECONNREFUSED, token=[redacted]' }],
    });
    expect(JSON.stringify(line)).not.toContain('at ');
    expect(observed.logs.raw()).not.toContain('ghs_secret123');
  });

  it('never carry a credential, an argument object or an error message unredacted', () => {
    diag.error(
      'export to https://user:hunter2@collector.example/v1/traces failed',
      { headers: { authorization: 'Bearer sk_live_secret' } },
      Object.assign(new Error('401 with Authorization: Bearer abc.def.ghi'), { code: 'ERR_UNAUTHORIZED' }),
    );
    const [line] = otelLines().slice(-1);

    expect(line).toMatchObject({
      msg: 'export to https://[redacted]@collector.example/v1/traces failed',
      errors: [{ type: 'Error', code: 'ERR_UNAUTHORIZED', message: '401 with Authorization: [redacted]' }],
    });
    for (const secret of ['hunter2', 'sk_live_secret', 'abc.def.ghi']) expect(observed.logs.raw()).not.toContain(secret);
  });
});

describe('redactCredentials', () => {
  it.each([
    ['Authorization: Bearer abc', 'Authorization: [redacted]'],
    ['header x-api-key=k123,other=1', 'header x-api-key=[redacted],other=1'],
    ['{"password":"p4ss"}', '{"password":"[redacted]"}'],
    ['basic dXNlcjpwYXNz', 'basic [redacted]'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s → %s', (input, expected) => {
    expect(redactCredentials(input)).toBe(expected);
  });
});
