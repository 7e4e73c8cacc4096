import { retryDelaySeconds } from './mail-delivery.service';

describe('mail retry backoff', () => {
  it('doubles from the base delay and is capped at six hours', () => {
    const noJitter = () => 0.5;
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, 30, noJitter))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(30, 30, noJitter)).toBe(6 * 3600);
  });

  it('spreads retries by up to 20% either way so failed batches do not retry in lockstep', () => {
    expect(retryDelaySeconds(1, 100, () => 0)).toBe(80);
    expect(retryDelaySeconds(1, 100, () => 0.999999)).toBe(120);
  });
});
