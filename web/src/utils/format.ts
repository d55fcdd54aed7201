import type { ProviderId, User } from '../types/api';

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const exp = Math.min(Math.floor(Math.log(bytes) / Math.log(1024)), units.length - 1);
  const value = bytes / 1024 ** exp;
  return `${value >= 10 || exp === 0 ? Math.round(value) : value.toFixed(1)} ${units[exp]}`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'long' });
}

/** "15 ms", "0.8 s", "12 s": how long an image took, to the precision a person cares about. */
export function formatDuration(ms: number): string {
  if (ms < 100) return `${Math.round(ms)} ms`;
  if (ms < 9950) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * "$0.0028", "$0.50", "$12.40": an amount in US dollars. Single images cost
 * fractions of a cent, so below a dollar four decimals are kept (trailing
 * zeros beyond the cents dropped); from a dollar on, cents.
 */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.00005) return '< $0.0001';
  if (usd < 0.99995) return `$${(Math.round(usd * 1e4) / 1e4).toFixed(4).replace(/0{1,2}$/, '')}`;
  return `$${(Math.round(usd * 100) / 100).toFixed(2)}`;
}

/** What an image cost: "free" on an engine with no price. */
export function formatCost(usd: number): string {
  return usd <= 0 ? 'free' : formatUsd(usd);
}

/**
 * "0.8 s · $0.0028": the time and cost of one image or draft; a part that was
 * not recorded (older images) is left out, and both missing give "".
 */
export function formatTimeAndCost(
  ms: number | null | undefined,
  costUsd: number | null | undefined,
): string {
  const parts: string[] = [];
  if (ms != null) parts.push(formatDuration(ms));
  if (costUsd != null) parts.push(formatCost(costUsd));
  return parts.join(' · ');
}

/** The first `max` characters of `text`, with an ellipsis when there is more. */
export function shorten(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function formatNumber(n: number): string {
  return n.toLocaleString();
}

export function initials(user: Pick<User, 'display_name' | 'email'>): string {
  const source = user.display_name?.trim() || user.email;
  return source.slice(0, 1).toUpperCase();
}

/** Badge text for the engine that made an image. */
export function engineLabel(provider: ProviderId): string {
  if (provider === 'offline') return 'Offline preview engine';
  if (provider === 'together') return 'FLUX';
  return provider;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * "in 29 days", "in 3 hours", "in 5 minutes": how long until `iso`, rounded
 * down, so it never promises more time than there is.
 */
export function timeUntil(iso: string, now: number = Date.now()): string {
  const left = Date.parse(iso) - now;
  if (Number.isNaN(left)) return '';
  if (left <= 0) return 'any moment now';
  if (left >= DAY) return `in ${plural(Math.floor(left / DAY), 'day')}`;
  if (left >= HOUR) return `in ${plural(Math.floor(left / HOUR), 'hour')}`;
  if (left >= MINUTE) return `in ${plural(Math.floor(left / MINUTE), 'minute')}`;
  return 'in under a minute';
}
