import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import {
  installErrorReporting,
  reportError,
  REPORT_LIMITS,
  routePattern,
  scrub,
} from './errorReporting';
import type { ClientErrorReport } from '../types/api';

const sendFetch = vi.fn<typeof fetch>();
let uninstall = () => {};

beforeEach(() => {
  sendFetch.mockReset();
  sendFetch.mockResolvedValue(new Response(null, { status: 202 }));
  vi.stubGlobal('fetch', sendFetch);
  uninstall = installErrorReporting();
});

afterEach(() => {
  uninstall();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
});

const sentBodies = () =>
  sendFetch.mock.calls.map(([, init]) => JSON.parse(String(init?.body)) as ClientErrorReport);

/** An error thrown at the same place each time, with a stack as Chrome writes it. */
function failure(
  message: string,
  frame = 'at loadImage (https://app.test/assets/index-C3b.js:1:2345)',
) {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    ${frame}\n    at run (https://app.test/assets/index-C3b.js:1:99)`;
  return error;
}

function windowError(error: unknown, extra: ErrorEventInit = {}) {
  window.dispatchEvent(new ErrorEvent('error', { error, ...extra }));
}

function unhandledRejection(reason: unknown) {
  // jsdom has no PromiseRejectionEvent: an event carrying `reason` is what the listener reads.
  window.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason }));
}

describe('error reporting', () => {
  it('reports an uncaught error once, scrubbed, with the route pattern and the release', () => {
    window.history.replaceState(null, '', '/gallery/01JD7K2M9X?q=ada');
    const error = failure(
      'Could not load https://b.s3.amazonaws.com/users/u1/i1.png?X-Amz-Signature=0f3a9 for ada@example.com',
    );
    windowError(error);
    windowError(error);
    reportError(error);

    expect(sendFetch).toHaveBeenCalledTimes(1);
    const [url, init] = sendFetch.mock.calls[0]!;
    expect(url).toBe('/api/client-errors');
    expect(init).toMatchObject({
      method: 'POST',
      keepalive: true,
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(sentBodies()[0]).toEqual({
      message: 'Error: Could not load https://b.s3.amazonaws.com/users/u1/i1.png for [email]',
      stack:
        'Error: Could not load https://b.s3.amazonaws.com/users/u1/i1.png for [email]\n' +
        '    at loadImage (https://app.test/assets/index-C3b.js:1:2345)\n' +
        '    at run (https://app.test/assets/index-C3b.js:1:99)',
      route: '/gallery/:id',
      release: __APP_RELEASE__,
    });
    expect(__APP_RELEASE__).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('reports an unhandled rejection once, but not a failed API request', () => {
    window.history.replaceState(null, '', '/collections/c1');
    const reason = new TypeError("Cannot read properties of undefined (reading 'id')");
    unhandledRejection(reason);
    unhandledRejection(reason);
    unhandledRejection(new ApiError({ status: 503, code: 'upstream_unavailable' }));

    expect(sentBodies()).toEqual([
      expect.objectContaining({
        message: "TypeError: Cannot read properties of undefined (reading 'id')",
        route: '/collections/:collectionId',
      }),
    ]);
  });

  it('describes what it cannot see into without serialising it', () => {
    unhandledRejection({ prompt: 'a cat in a hat', email: 'ada@example.com' });
    windowError(null, {
      message: 'Uncaught oops',
      filename: 'https://app.test/a.js?v=1',
      lineno: 3,
      colno: 7,
    });
    windowError(null, { message: 'Script error.' });
    windowError(null, { message: 'ResizeObserver loop completed with undelivered notifications.' });

    expect(sentBodies()).toEqual([
      expect.objectContaining({ message: 'A non-Error value was thrown (object)' }),
      expect.objectContaining({ message: 'Uncaught oops', stack: 'at https://app.test/a.js:3:7' }),
    ]);
    expect(JSON.stringify(sentBodies())).not.toMatch(/cat in a hat|ada@/);
  });

  it('sends the same error once per page load, though thrown again', () => {
    reportError(failure('Chunk failed'));
    reportError(failure('Chunk failed'));
    reportError(failure('Chunk failed', 'at other (https://app.test/assets/x.js:2:1)'));
    reportError('a thrown string');
    reportError('a thrown string');

    expect(sentBodies().map((b) => [b.message, b.stack?.split('\n')[1]?.trim()])).toEqual([
      ['Error: Chunk failed', 'at loadImage (https://app.test/assets/index-C3b.js:1:2345)'],
      ['Error: Chunk failed', 'at other (https://app.test/assets/x.js:2:1)'],
      ['a thrown string', undefined],
    ]);
  });

  it('sends at most 5 reports a minute and 20 a page load, dropping the rest', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    let n = 0;
    const burst = (count: number) => {
      for (let i = 0; i < count; i++) reportError(failure(`Failure ${n++}`));
    };

    burst(8);
    expect(sendFetch).toHaveBeenCalledTimes(REPORT_LIMITS.perMinute);
    vi.setSystemTime(new Date('2026-12-03T10:00:59Z'));
    burst(1);
    expect(sendFetch).toHaveBeenCalledTimes(5);

    for (let minute = 1; minute <= 5; minute++) {
      vi.setSystemTime(new Date(Date.UTC(2026, 11, 3, 10, minute, 1)));
      burst(8);
    }
    expect(sendFetch).toHaveBeenCalledTimes(REPORT_LIMITS.perPageLoad);
    // A dropped error was never sent: the first ones of each minute went.
    expect(sentBodies().map((b) => b.message)).toEqual(
      [0, 9, 17, 25].flatMap((first) => [0, 1, 2, 3, 4].map((i) => `Error: Failure ${first + i}`)),
    );
  });

  it('drops a failed send silently, without reporting it', async () => {
    sendFetch.mockRejectedValue(new TypeError('Failed to fetch'));
    reportError(failure('First'));
    await vi.waitFor(() => expect(sendFetch).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sendFetch).toHaveBeenCalledTimes(1);

    sendFetch.mockImplementation(() => {
      throw new TypeError('keepalive quota exceeded');
    });
    expect(() => reportError(failure('Second'))).not.toThrow();
  });

  it('stops sending for as long as a 429 says', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T10:00:00Z'));
    sendFetch.mockResolvedValueOnce(
      new Response(null, { status: 429, headers: { 'Retry-After': '30' } }),
    );
    reportError(failure('One'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    reportError(failure('Two'));
    expect(sendFetch).toHaveBeenCalledTimes(1);
    vi.setSystemTime(new Date('2026-12-03T10:00:31Z'));
    reportError(failure('Two'));
    expect(sentBodies().map((b) => b.message)).toEqual(['Error: One', 'Error: Two']);
  });

  it('sends nothing before it is installed, or after', () => {
    uninstall();
    reportError(failure('Too late'));
    windowError(null, { message: 'Too late either' });
    expect(sendFetch).not.toHaveBeenCalled();
  });

  it('keeps to the server limits: 1000 characters of message, 6000 of stack, 8 KiB in all', () => {
    const error = new Error('m'.repeat(992) + '😀 and more');
    error.stack = `${'€'.repeat(7000)}\n    at f (https://app.test/a.js:1:1)`;
    reportError(error);
    const body = String(sendFetch.mock.calls[0]![1]?.body);
    const report = JSON.parse(body) as ClientErrorReport;
    // The emoji would not fit whole, and half of it is never sent.
    expect(report.message).toBe(`Error: ${'m'.repeat(992)}`);
    // The stack is cut to fit the body, not dropped.
    expect(report.stack!.length).toBeGreaterThan(2000);
    expect(report.stack!.length).toBeLessThanOrEqual(REPORT_LIMITS.stackChars);
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(REPORT_LIMITS.bodyBytes);
  });
});

describe('scrub', () => {
  it('replaces emails, bearer tokens and JWTs', () => {
    expect(scrub('No account for Ada.Lovelace+art@example.co.uk.')).toBe('No account for [email].');
    expect(scrub('Authorization: Bearer sk_live.4f9a-b2')).toBe('Authorization: Bearer [token]');
    expect(
      scrub('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.3q2-7w_Xy expired; monkeyJump stays'),
    ).toBe('token [token] expired; monkeyJump stays');
  });

  it('replaces API key secrets, even short ones', () => {
    expect(scrub('curl -H "X-Key: pcp_ab12cd" failed; pcp_ is only the prefix')).toBe(
      'curl -H "X-Key: [api key]" failed; pcp_ is only the prefix',
    );
    expect(scrub('shopcp_x stays')).toBe('shopcp_x stays');
  });

  it('cuts query strings, fragments and credentials off URLs, keeping line and column', () => {
    expect(scrub('GET /api/media/users/u1/i1.thumb.jpg?exp=1796115600&sig=0f3a failed')).toBe(
      'GET /api/media/users/u1/i1.thumb.jpg failed',
    );
    expect(scrub('at f (https://app.test/assets/a.js?v=3#x:10:5)')).toBe(
      'at f (https://app.test/assets/a.js:10:5)',
    );
    expect(scrub('see https://cdn.test/i.png#sig=abc and https://ada:hunter2@db.test/x')).toBe(
      'see https://cdn.test/i.png and https://db.test/x',
    );
  });

  it('redacts long hex and base64-looking runs, not paths or names', () => {
    expect(scrub(`hash ${'deadbeef'.repeat(4)} seen`)).toBe('hash [redacted] seen');
    expect(scrub('key AKIA4Z7QxY2vB9mN3pL6sT1uW8rE5cH0 used')).toBe('key [redacted] used');
    const frame =
      'at f (http://localhost:5173/src/features/collections/components/CollectionFormDialog.tsx:12:3)';
    expect(scrub(frame)).toBe(frame);
    expect(scrub('useCollectionSelectionActionsForTheGalleryGrid failed')).toBe(
      'useCollectionSelectionActionsForTheGalleryGrid failed',
    );
  });
});

describe('routePattern', () => {
  it('names the route, never the ids in the address', () => {
    const cases: Array<[string, string]> = [
      ['/', '/'],
      ['/sign-in', '/sign-in'],
      ['/sign-in/factor-one', '/sign-in'],
      ['/sign-up', '/sign-up'],
      ['/generate', '/generate'],
      ['/gallery', '/gallery'],
      ['/gallery/', '/gallery'],
      ['/gallery/01JD7K2M9X', '/gallery/:id'],
      ['/trash', '/trash'],
      ['/collections', '/collections'],
      ['/collections/c1', '/collections/:collectionId'],
      ['/collections/c1/i1', '/collections/:collectionId/:id'],
      ['/compare', '/compare'],
      ['/profile/security', '/profile'],
      ['/admin', '/admin'],
      ['/Gallery/x', '/gallery/:id'],
      ['/users/ada@example.com', 'other'],
      ['/collections/c1/i1/more', 'other'],
    ];
    expect(cases.map(([path]) => [path, routePattern(path)])).toEqual(cases);
  });
});
