/**
 * Problem+json → ApiError → words a person understands.
 */
import { isAxiosError } from 'axios';
import type { ErrorCode, FieldError, Problem } from '../types/api';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldError[];
  /** Seconds from the `Retry-After` header (429, 503), if any. */
  readonly retryAfter: number | null;

  constructor(problem: Partial<Problem> & { status: number }, retryAfter: number | null = null) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? codeForStatus(problem.status);
    this.title = problem.title ?? 'Something went wrong';
    this.detail = problem.detail;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfter = retryAfter;
  }

  /** The server's message for one form field, if it sent one. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 0) return 'network_error';
  if (status === 401) return 'unauthenticated';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

export function parseRetryAfter(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isProblem(data: unknown): data is Partial<Problem> {
  return typeof data === 'object' && data !== null && ('code' in data || 'title' in data);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isAxiosError(error)) {
    const response = error.response;
    if (!response) {
      const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
      return new ApiError({
        status: 0,
        code: timedOut ? 'network_timeout' : 'network_error',
        title: timedOut ? 'The request timed out' : 'Cannot reach the server',
        detail: timedOut
          ? 'The server took too long to answer. Please try again.'
          : 'Cannot reach PromptCanvas. Check your connection and try again.',
      });
    }
    const headers = response.headers as Record<string, unknown> | undefined;
    const retryAfter = parseRetryAfter(headers?.['retry-after']);
    const data: unknown = response.data;
    if (isProblem(data)) return new ApiError({ ...data, status: response.status }, retryAfter);
    return new ApiError({ status: response.status }, retryAfter);
  }
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return new ApiError({ status: 0, code: 'client_error', title: message, detail: message });
}

/** "30 seconds", "1 minute", "3 minutes", "2 hours" */
export function formatRetryAfter(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** One plain sentence (or two) explaining what went wrong and what to do. */
export function describeError(error: unknown): string {
  const err = toApiError(error);
  const wait = err.retryAfter != null ? ` Try again in ${formatRetryAfter(err.retryAfter)}.` : '';
  switch (err.code) {
    case 'rate_limited':
      return `You're going a little fast.${wait || ' Please wait a moment and try again.'}`;
    case 'quota_exceeded':
      return `${err.detail ?? "You've reached this month's image quota."}${wait}`;
    case 'budget_exceeded':
      // The budget comes back with the month, not after a wait: there is no Retry-After.
      return "This month's budget is spent. It starts again next month.";
    case 'upstream_unavailable':
      return `The image engine is busy right now.${wait || ' Please try again shortly.'}`;
    case 'upstream_timeout':
      return 'The image engine took too long to answer. Please try again.';
    case 'upstream_error':
      return err.detail ?? 'The image engine could not make this picture. Try a different prompt.';
    case 'idempotency_conflict':
      return 'That request is already being processed. Please wait a moment.';
    case 'unauthenticated':
      return 'Your session has ended. Please sign in again.';
    case 'payload_too_large':
      return 'That request is too large. Try a shorter prompt.';
    default:
      return `${err.detail ?? err.title}${wait}`;
  }
}
