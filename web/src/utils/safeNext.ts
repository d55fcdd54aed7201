function sameOrigin(value: string): boolean {
  const origin = window.location.origin;
  try {
    return value.startsWith('/') && new URL(value, origin).origin === origin;
  } catch {
    return false;
  }
}

function decoded(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * A safe in-app path from `?next=`: only what the browser itself resolves to
 * this site, read as it is and once decoded (a redirect further on may decode
 * `/%09/evil.com` into `/\t/evil.com`, which browsers read as `//evil.com`).
 */
export function safeNext(value: string | null, fallback = '/generate'): string {
  if (!value) return fallback;
  const once = decoded(value);
  if (!sameOrigin(value) || once === null || !sameOrigin(once)) return fallback;
  const url = new URL(value, window.location.origin);
  return `${url.pathname}${url.search}${url.hash}`;
}
