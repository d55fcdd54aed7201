/**
 * Front-end error tracking: what breaks in people's browsers (uncaught
 * errors, unhandled rejections, what React's and the router's error
 * boundaries catch) goes to POST /api/client-errors, so the operator hears of
 * it without anyone writing in.
 *
 * Only a scrubbed message and stack, the route's pattern and the release are
 * sent: never prompts, emails, tokens, API keys or signed URLs. Each error
 * goes once per page load, and bursts are cut short, so a render loop or a
 * flapping network cannot flood the server; a report that fails is dropped,
 * never reported.
 */
import type { RootOptions } from 'react-dom/client';
import { API_BASE } from './env';
import type { ClientErrorReport } from '../types/api';
import { ApiError, parseRetryAfter } from './errors';

/** What the server accepts, and how much one page load may send. */
export const REPORT_LIMITS = {
  messageChars: 1000,
  stackChars: 6000,
  bodyBytes: 8 * 1024,
  perMinute: 5,
  perPageLoad: 20,
};

const MINUTE_MS = 60_000;
/** Longer text is cut before scrubbing, so a huge message costs little. */
const RAW_MAX_CHARS = 20_000;

let enabled = false;
/** Errors already seen, whichever path saw them first (boundary, router, window). */
let seen = new WeakSet<object>();
/** Message + first stack frame of every report sent in this page load. */
let sent = new Set<string>();
let sentAt: number[] = [];
/** After a 429, nothing is sent until then. */
let pausedUntil = 0;

/** The app's route patterns (see app/router.tsx), matched like the router does: case-insensitively. */
const ROUTES: Array<[RegExp, string]> = [
  [/^\/$/, '/'],
  [/^\/sign-in(?:\/.*)?$/i, '/sign-in'],
  [/^\/sign-up(?:\/.*)?$/i, '/sign-up'],
  [/^\/generate$/i, '/generate'],
  [/^\/gallery$/i, '/gallery'],
  [/^\/gallery\/[^/]+$/i, '/gallery/:id'],
  [/^\/trash$/i, '/trash'],
  [/^\/collections$/i, '/collections'],
  [/^\/collections\/[^/]+$/i, '/collections/:collectionId'],
  [/^\/collections\/[^/]+\/[^/]+$/i, '/collections/:collectionId/:id'],
  [/^\/compare$/i, '/compare'],
  [/^\/profile(?:\/.*)?$/i, '/profile'],
  [/^\/admin$/i, '/admin'],
];

/** `/gallery/01J…` → `/gallery/:id`: the page, without the ids in its address. */
export function routePattern(pathname: string): string {
  const path = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find(([pattern]) => pattern.test(path))?.[1] ?? 'other';
}

const SCHEME = String.raw`\b[a-z][a-z\d+.-]*:\/\/`;
/** `https://user:password@host` */
const URL_CREDENTIALS = new RegExp(String.raw`(${SCHEME})[^\s/?#@'"\x60<>()]+@`, 'gi');
/**
 * The query string and fragment of a URL (absolute, or a path), keeping a
 * stack frame's `:line:column`.
 */
const URL_QUERY = new RegExp(
  String.raw`((?:${SCHEME}|\/)[^\s?#'"\x60<>()]*)[?#][^\s'"\x60<>()]*?((?::\d+){0,2})(?=[\s'"\x60<>()]|$)`,
  'gi',
);
const BEARER = /\bBearer\s+[^\s'"`,;]+/gi;
const JWT = /(?<![\w-])eyJ[\w-]{8,}(?:\.[\w-]+){0,2}/g;
/** An API key's secret, however short, and wherever it stands (a pasted curl command, say). */
const API_KEY = /(?<![\w-])pcp_[\w-]+/g;
const EMAIL = /[\w.%+-]+@[a-z\d-]+(?:\.[a-z\d-]+)*\.[a-z]{2,}/gi;
/** Split at `/` and `.`, so paths and file names in stacks survive. */
const LONG_RUN = /[\w+=-]{32,}/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Hex, or letters mixed with digits: a key, hash or signature, not a name. */
const looksRandom = (run: string) =>
  /^[\da-f]+$/i.test(run) || (/\d/.test(run) && /[a-z]/i.test(run));

/**
 * Takes out of `text` whatever could identify a person or open their
 * account: emails, tokens, API keys, URL credentials, query strings and
 * fragments (signed image URLs carry their signatures there) and long
 * random-looking runs.
 */
export function scrub(text: string): string {
  let out = text;
  if (out.length > RAW_MAX_CHARS) {
    // The cut may split a secret in two: drop the piece it leaves at the end.
    out = out.slice(0, RAW_MAX_CHARS).replace(/\S+$/, '');
  }
  out = out
    .replace(URL_CREDENTIALS, '$1')
    .replace(URL_QUERY, '$1$2')
    .replace(BEARER, 'Bearer [token]')
    .replace(JWT, '[token]')
    .replace(API_KEY, '[api key]')
    .replace(EMAIL, '[email]')
    .replace(LONG_RUN, (run) => (looksRandom(run) ? '[redacted]' : run));
  // The server reads UTF-8 JSON: half a surrogate pair would make it refuse the report.
  return out.replace(LONE_SURROGATE, '\uFFFD');
}

/** The first `max` UTF-16 units of `text`, never ending on half a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max));
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Where an error was thrown: V8 starts a stack with the message, other engines do not. */
function firstFrame(stack: string): string {
  const lines = stack
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => line.startsWith('at ')) ?? (lines[0]?.includes('@') ? lines[0] : '');
}

interface Thrown {
  message: string;
  stack: string;
}

/** Any thrown value as a message and stack; other values are not serialised (they may be user data). */
function describeThrown(error: unknown): Thrown {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message, stack } = error as { name?: unknown; message: unknown; stack?: unknown };
    const text = typeof message === 'string' ? message : '';
    const kind = typeof name === 'string' && name ? name : 'Error';
    return {
      message: text ? `${kind}: ${text}` : kind,
      stack: typeof stack === 'string' ? stack : '',
    };
  }
  if (typeof error === 'string') return { message: error, stack: '' };
  return {
    message: `A non-Error value was thrown (${error === null ? 'null' : typeof error})`,
    stack: '',
  };
}

/** Noise browsers raise that says nothing about the app. */
const IGNORED = [
  // Errors from scripts of other origins, with every detail withheld.
  /^Script error\.?$/,
  // ResizeObserver could not deliver every notification in one frame: harmless.
  /^(?:\w+: )?ResizeObserver loop/,
];

const release = /^[A-Za-z0-9._+-]{1,64}$/.test(__APP_RELEASE__) ? __APP_RELEASE__ : undefined;

function bodyOf(report: ClientErrorReport): string {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  let body = JSON.stringify(report);
  // Characters outside ASCII take several bytes: shorten the stack until it fits.
  while (report.stack && bytes(body) > REPORT_LIMITS.bodyBytes) {
    const stackBytes = bytes(JSON.stringify(report.stack));
    const room = REPORT_LIMITS.bodyBytes - (bytes(body) - stackBytes);
    const keep = Math.floor((report.stack.length * room) / stackBytes) - 2;
    const stack = keep > 0 ? truncate(report.stack, Math.min(keep, report.stack.length - 1)) : '';
    report = { ...report, stack: stack || undefined };
    body = JSON.stringify(report);
  }
  return body;
}

function send(report: ClientErrorReport): void {
  try {
    fetch(`${API_BASE}/client-errors`, {
      method: 'POST',
      // Still goes out when the error is followed by leaving the page.
      keepalive: true,
      credentials: 'omit',
      headers: { 'Content-Type': 'application/json' },
      body: bodyOf(report),
    }).then(
      (response) => {
        if (response.status === 429) {
          const wait = parseRetryAfter(response.headers.get('Retry-After')) ?? 60;
          pausedUntil = Date.now() + wait * 1000;
        }
      },
      () => {},
    );
  } catch {
    // No fetch, or it refused the request outright: dropped like a failed send.
  }
}

function submit(thrown: Thrown): void {
  const message = truncate(scrub(thrown.message), REPORT_LIMITS.messageChars).trim();
  if (!message || IGNORED.some((pattern) => pattern.test(message))) return;
  const stack = truncate(scrub(thrown.stack), REPORT_LIMITS.stackChars);
  const signature = `${message}\n${firstFrame(stack)}`;
  if (sent.has(signature)) return;

  const now = Date.now();
  if (now < pausedUntil) return;
  sentAt = sentAt.filter((at) => now - at < MINUTE_MS);
  if (sentAt.length >= REPORT_LIMITS.perMinute || sent.size >= REPORT_LIMITS.perPageLoad) return;
  sent.add(signature);
  sentAt.push(now);

  const report: ClientErrorReport = { message, route: routePattern(window.location.pathname) };
  if (stack.trim()) report.stack = stack;
  if (release) report.release = release;
  send(report);
}

/**
 * Reports `error` (anything thrown) unless it was reported already. What the
 * server answered with (an ApiError) is left out: the server records its own
 * refusals and failures.
 */
export function reportError(error: unknown): void {
  if (!enabled) return;
  try {
    if (typeof error === 'object' && error !== null) {
      if (seen.has(error)) return;
      seen.add(error);
    }
    if (error instanceof ApiError) return;
    submit(describeThrown(error));
  } catch {
    // Reporting must never break the page, nor report itself.
  }
}

function onWindowError(event: ErrorEvent): void {
  if (event.error != null) {
    reportError(event.error);
    return;
  }
  // No error object (a cross-origin script, or an error event from a browser API): what the event says.
  const at = event.filename ? `at ${event.filename}:${event.lineno}:${event.colno}` : '';
  try {
    submit({ message: event.message ?? '', stack: at });
  } catch {
    // As in reportError.
  }
}

function onUnhandledRejection(event: PromiseRejectionEvent): void {
  reportError(event.reason);
}

/**
 * Turns reporting on for this page load (call once, before rendering): the
 * window's uncaught errors and unhandled rejections are reported from now on,
 * and so is whatever reportError is given. Returns the undo, for tests.
 */
export function installErrorReporting(): () => void {
  enabled = true;
  seen = new WeakSet();
  sent = new Set();
  sentAt = [];
  pausedUntil = 0;
  window.addEventListener('error', onWindowError);
  window.addEventListener('unhandledrejection', onUnhandledRejection);
  return () => {
    enabled = false;
    window.removeEventListener('error', onWindowError);
    window.removeEventListener('unhandledrejection', onUnhandledRejection);
  };
}

/**
 * createRoot's error callbacks: what an error boundary caught (the router's
 * included) and what escaped them all is reported, and logged as React would.
 */
export const rootErrorOptions = {
  onCaughtError: (error: unknown) => {
    reportError(error);
    console.error(error);
  },
  onUncaughtError: (error: unknown) => {
    reportError(error);
    console.error(error);
  },
} satisfies RootOptions;
