import { describe, expect, it } from 'vitest';
import { applyTraceSampling, traceSampling } from '../src/commands/bench.ts';
import { CliError } from '../src/output.ts';

describe('harness bench --trace-sampling', () => {
  it('takes a ratio from 0 to 1 and refuses anything else naming the flag', () => {
    expect(traceSampling('0.1')).toBe(0.1);
    expect(traceSampling('0')).toBe(0);
    expect(traceSampling('1')).toBe(1);
    for (const bad of ['', ' ', '1.5', '-0.1', 'all', 'NaN']) {
      expect(() => traceSampling(bad)).toThrow(CliError);
      expect(() => traceSampling(bad)).toThrow(`--trace-sampling must be a ratio from 0 to 1, got "${bad}"`);
    }
  });

  it("sets OpenTelemetry's standard sampler variables for the system it starts", () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyTraceSampling(0.1, env)).toBe('parentbased_traceidratio 0.1');
    expect(env).toEqual({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    const all: NodeJS.ProcessEnv = {};
    expect(applyTraceSampling(1, all)).toBe('parentbased_always_on');
    expect(all).toEqual({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' });
  });

  it('leaves a sampler already set in the environment as it is', () => {
    const env: NodeJS.ProcessEnv = { OTEL_TRACES_SAMPLER: 'always_off' };
    expect(applyTraceSampling(0.1, env)).toBe('always_off');
    expect(env).toEqual({ OTEL_TRACES_SAMPLER: 'always_off' });
    const ratio: NodeJS.ProcessEnv = {
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.5',
    };
    expect(applyTraceSampling(0.1, ratio)).toBe('parentbased_traceidratio 0.5');
  });
});
