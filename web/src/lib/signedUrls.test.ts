import { describe, expect, it } from 'vitest';
import { ASSUMED_URL_LIFETIME_MS, REFRESH_MARGIN_MS, refreshAt, urlExpiry } from './signedUrls';

const at = (iso: string) => Date.parse(iso);

describe('signed image URLs', () => {
  it('reads the expiry our server, S3 and CloudFront put in the URL', () => {
    expect(urlExpiry('/api/media/users/u1/i1.thumb.jpg?exp=1796115600&sig=0f3a')).toBe(
      1796115600_000,
    );
    expect(
      urlExpiry(
        'https://b.s3.eu-west-1.amazonaws.com/users/u1/i1.png?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
          '&X-Amz-Date=20261201T030000Z&X-Amz-Expires=3600&X-Amz-Signature=ab',
      ),
    ).toBe(at('2026-12-01T04:00:00Z'));
    expect(urlExpiry('https://cdn.example.com/i1.png?Expires=1796115600&Signature=x')).toBe(
      1796115600_000,
    );
    expect(urlExpiry('/media/i1.jpg')).toBeNull();
  });

  it('refetches a margin before the earliest expiry', () => {
    const fetched = at('2026-12-01T03:10:00Z');
    const urls = [
      `/api/media/a.jpg?exp=${at('2026-12-01T05:00:00Z') / 1000}&sig=1`,
      `/api/media/b.jpg?exp=${at('2026-12-01T04:00:00Z') / 1000}&sig=2`,
    ];
    expect(refreshAt(urls, fetched)).toBe(at('2026-12-01T04:00:00Z') - REFRESH_MARGIN_MS);
  });

  it('assumes about an hour when the URL does not say, or the clock is off', () => {
    const fetched = at('2026-12-01T03:10:00Z');
    const assumed = fetched + ASSUMED_URL_LIFETIME_MS - REFRESH_MARGIN_MS;
    expect(refreshAt(['/media/a.jpg'], fetched)).toBe(assumed);
    // Already "expired" by this device's clock: no refetch loop.
    const past = `/api/media/a.jpg?exp=${at('2026-12-01T01:00:00Z') / 1000}&sig=1`;
    expect(refreshAt([past], fetched)).toBe(assumed);
  });
});
