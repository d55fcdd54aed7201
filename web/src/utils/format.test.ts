import { describe, expect, it } from 'vitest';
import { formatCost, formatDuration, formatTimeAndCost, formatUsd, timeUntil } from './format';

const now = Date.parse('2026-11-26T08:00:00Z');
const later = (ms: number) => new Date(now + ms).toISOString();
const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * minutes(60);
const days = (n: number) => n * hours(24);

describe('timeUntil', () => {
  it('counts whole days, then hours, then minutes, rounding down', () => {
    expect(timeUntil(later(days(30)), now)).toBe('in 30 days');
    expect(timeUntil(later(days(30) - 1000), now)).toBe('in 29 days');
    expect(timeUntil(later(days(1) + hours(23)), now)).toBe('in 1 day');
    expect(timeUntil(later(hours(3) + minutes(59)), now)).toBe('in 3 hours');
    expect(timeUntil(later(hours(1)), now)).toBe('in 1 hour');
    expect(timeUntil(later(minutes(5)), now)).toBe('in 5 minutes');
    expect(timeUntil(later(minutes(1)), now)).toBe('in 1 minute');
  });

  it('says so when the time is nearly or already up', () => {
    expect(timeUntil(later(30_000), now)).toBe('in under a minute');
    expect(timeUntil(later(0), now)).toBe('any moment now');
    expect(timeUntil(later(-hours(2)), now)).toBe('any moment now');
    expect(timeUntil('not a date', now)).toBe('');
  });
});

describe('time and cost', () => {
  it('shows short times in milliseconds, then tenths of a second, then whole seconds', () => {
    expect(formatDuration(12)).toBe('12 ms');
    expect(formatDuration(99.6)).toBe('100 ms');
    expect(formatDuration(100)).toBe('0.1 s');
    expect(formatDuration(840)).toBe('0.8 s');
    expect(formatDuration(850)).toBe('0.9 s');
    expect(formatDuration(9949)).toBe('9.9 s');
    expect(formatDuration(9950)).toBe('10 s');
    expect(formatDuration(12_400)).toBe('12 s');
  });

  it('keeps fractions of a cent below a dollar and cents above', () => {
    // 1024 × 1024 at $0.0027 per megapixel.
    expect(formatUsd((1024 * 1024 * 0.0027) / 1e6)).toBe('$0.0028');
    expect(formatUsd(0.011324)).toBe('$0.0113');
    expect(formatUsd(0.00005)).toBe('$0.0001');
    expect(formatUsd(0.00001)).toBe('< $0.0001');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.01)).toBe('$0.01');
    expect(formatUsd(0.011)).toBe('$0.011');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1)).toBe('$1.00');
    expect(formatUsd(12.404)).toBe('$12.40');
  });

  it('calls an image from an engine with no price free', () => {
    expect(formatCost(0)).toBe('free');
    expect(formatCost(0.0007)).toBe('$0.0007');
  });

  it('joins time and cost, leaving out what was not recorded', () => {
    expect(formatTimeAndCost(840, 0.00283)).toBe('0.8 s · $0.0028');
    expect(formatTimeAndCost(12, 0)).toBe('12 ms · free');
    expect(formatTimeAndCost(null, 0.00283)).toBe('$0.0028');
    expect(formatTimeAndCost(840, null)).toBe('0.8 s');
    expect(formatTimeAndCost(undefined, undefined)).toBe('');
  });
});
