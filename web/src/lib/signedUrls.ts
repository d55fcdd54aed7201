/**
 * Image URLs are signed and expire. This reads the expiry from the URL itself
 * (our local `/api/media?exp=`, S3's `X-Amz-Date` + `X-Amz-Expires`,
 * CloudFront's `Expires`) so data holding them is refetched in time.
 */

/** URLs whose expiry cannot be read are assumed to last this long after they were fetched. */
export const ASSUMED_URL_LIFETIME_MS = 60 * 60 * 1000;
/** Refetch this long before the earliest expiry. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** Never refetch more often than this, whatever the clocks say. */
const MIN_REFRESH_MS = 60 * 1000;

function params(url: string): URLSearchParams | null {
  try {
    return new URL(url, 'http://localhost').searchParams;
  } catch {
    return null;
  }
}

/** `20261126T080000Z` → epoch ms. */
function amzDate(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

/** When a signed URL stops working (epoch ms), or null if the URL does not say. */
export function urlExpiry(url: string | null | undefined): number | null {
  if (!url) return null;
  const q = params(url);
  if (!q) return null;
  const seconds = (name: string) => {
    const v = q.get(name);
    return v && /^\d+$/.test(v) ? Number(v) : null;
  };
  const exp = seconds('exp') ?? seconds('Expires');
  if (exp != null) return exp * 1000;
  const signedAt = amzDate(q.get('X-Amz-Date') ?? '');
  const lifetime = seconds('X-Amz-Expires');
  if (signedAt != null && lifetime != null) return signedAt + lifetime * 1000;
  return null;
}

/**
 * When data holding these URLs, fetched at `fetchedAt`, should be refetched:
 * a margin before the earliest expiry (at least a minute on). An expiry that
 * looks already past means this device's clock is off: then the assumed
 * lifetime counts from the fetch, rather than refetching in a loop.
 */
export function refreshAt(urls: Iterable<string | null | undefined>, fetchedAt: number): number {
  let earliest: number | null = null;
  for (const url of urls) {
    const expiry = urlExpiry(url);
    if (expiry != null && (earliest == null || expiry < earliest)) earliest = expiry;
  }
  if (earliest == null || earliest <= fetchedAt + MIN_REFRESH_MS) {
    earliest = fetchedAt + ASSUMED_URL_LIFETIME_MS;
  }
  return Math.max(fetchedAt + MIN_REFRESH_MS, earliest - REFRESH_MARGIN_MS);
}
