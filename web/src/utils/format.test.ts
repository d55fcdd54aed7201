import { describe, expect, it } from 'vitest';
import { timeUntil } from './format';

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
