import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { describe, expect, it } from 'vitest';
import { ApiError, describeError, formatRetryAfter, parseRetryAfter, toApiError } from './errors';

function axiosFailure(status: number, data: unknown, headers: Record<string, string> = {}) {
  const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
  return new AxiosError(
    'failed',
    'ERR_BAD_REQUEST',
    config,
    {},
    {
      status,
      statusText: '',
      data,
      headers: AxiosHeaders.from(headers),
      config,
    },
  );
}

describe('problem+json to a message', () => {
  it('keeps code, detail and field errors from the body', () => {
    const err = toApiError(
      axiosFailure(422, {
        type: 'about:blank',
        title: 'Invalid request',
        status: 422,
        detail: 'width must be a multiple of 16',
        code: 'invalid_request',
        errors: [{ field: 'width', message: 'must be a multiple of 16' }],
      }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid_request');
    expect(err.status).toBe(422);
    expect(err.fieldError('width')).toBe('must be a multiple of 16');
    expect(describeError(err)).toBe('width must be a multiple of 16');
  });

  it('tells how long to wait on 429 rate_limited, from Retry-After', () => {
    const err = toApiError(
      axiosFailure(
        429,
        { title: 'Too many requests', status: 429, code: 'rate_limited', detail: 'Slow down.' },
        { 'retry-after': '30' },
      ),
    );
    expect(err.retryAfter).toBe(30);
    expect(describeError(err)).toBe("You're going a little fast. Try again in 30 seconds.");
  });

  it('explains quota exhaustion with the server detail and the wait', () => {
    const err = toApiError(
      axiosFailure(
        429,
        {
          title: 'Quota',
          status: 429,
          code: 'quota_exceeded',
          detail: 'Monthly quota of 500 images reached.',
        },
        { 'retry-after': '7200' },
      ),
    );
    expect(describeError(err)).toBe('Monthly quota of 500 images reached. Try again in 2 hours.');
  });

  it("says the month's budget is spent on 429 budget_exceeded, with no wait to offer", () => {
    const err = toApiError(
      axiosFailure(429, {
        title: 'Budget',
        status: 429,
        code: 'budget_exceeded',
        detail: 'This request would pass your monthly budget of $5.00.',
      }),
    );
    expect(err.retryAfter).toBeNull();
    expect(describeError(err)).toBe("This month's budget is spent. It starts again next month.");
  });

  it('says the engine is busy on 503 upstream_unavailable', () => {
    const err = toApiError(
      axiosFailure(
        503,
        { title: 'Unavailable', status: 503, code: 'upstream_unavailable' },
        { 'retry-after': '90' },
      ),
    );
    expect(describeError(err)).toBe('The image engine is busy right now. Try again in 2 minutes.');
  });

  it('handles a response that is not problem+json', () => {
    const err = toApiError(axiosFailure(502, '<html>Bad gateway</html>'));
    expect(err.code).toBe('server_error');
    expect(describeError(err)).toBe('Something went wrong');
  });

  it('describes a network failure in plain words', () => {
    const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
    const err = toApiError(new AxiosError('Network Error', 'ERR_NETWORK', config));
    expect(err.status).toBe(0);
    expect(describeError(err)).toMatch(/cannot reach promptcanvas/i);
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(undefined)).toBeNull();
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    expect(parseRetryAfter(inAMinute)).toBeGreaterThanOrEqual(59);
    expect(formatRetryAfter(1)).toBe('1 second');
    expect(formatRetryAfter(60)).toBe('1 minute');
  });
});
