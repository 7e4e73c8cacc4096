import { COLLECT_TIMEOUT_MS, Metrics, metricsAuthorized } from './metrics';

describe('metricsAuthorized', () => {
  it('lets every scrape in without METRICS_TOKEN, and only the bearer of the token with it', () => {
    expect(metricsAuthorized(undefined, null)).toBe(true);
    const token = 'metrics-token-0123456789';
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(undefined, token)).toBe(false);
    expect(metricsAuthorized(token, token)).toBe(false);
    expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsAuthorized('Bearer metrics-token-0123456780', token)).toBe(false);
  });
});

describe('Metrics', () => {
  it('reads gauges once per scrape for all of them, and answers fresh values', async () => {
    const metrics = new Metrics();
    const a = metrics.gauge({ name: 'cophub_spec_a', help: 'a' });
    const b = metrics.gauge({ name: 'cophub_spec_b', help: 'b' });
    let reads = 0;
    metrics.collect('spec', [a, b], async () => {
      reads += 1;
      await new Promise((r) => setTimeout(r, 5));
      a.set(reads);
      b.set(reads * 10);
    });
    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toMatch(/^cophub_spec_a 1$/m);
    expect(text).toMatch(/^cophub_spec_b 10$/m);
  });

  it('leaves out the series of a reading that fails, counts it, and still answers', async () => {
    const metrics = new Metrics();
    const gauge = metrics.gauge({ name: 'cophub_spec_c', help: 'c', labelNames: ['x'] });
    gauge.set({ x: 'old' }, 3);
    metrics.collect('broken', [gauge], () => Promise.reject(new Error('Redis is away')));
    expect(await metrics.registry.metrics()).not.toMatch(/^cophub_spec_c\{/m);
    // The failure counter is read beside the failing reading, so it shows from the next scrape.
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/^cophub_spec_c\{/m);
    expect(text).toMatch(/^cophub_metrics_collect_failures_total\{collector="broken"\} 1$/m);
  });

  it('gives up on a reading that hangs after COLLECT_TIMEOUT_MS', async () => {
    jest.useFakeTimers();
    try {
      const metrics = new Metrics();
      const gauge = metrics.gauge({ name: 'cophub_spec_d', help: 'd' });
      metrics.collect('hanging', [gauge], () => new Promise<void>(() => undefined));
      const scrape = () => {
        const text = metrics.registry.metrics();
        return jest.advanceTimersByTimeAsync(COLLECT_TIMEOUT_MS + 1).then(() => text);
      };
      expect(await scrape()).toMatch(/^cophub_spec_d 0$/m);
      expect(await scrape()).toMatch(/^cophub_metrics_collect_failures_total\{collector="hanging"\} 1$/m);
    } finally {
      jest.useRealTimers();
    }
  });
});
