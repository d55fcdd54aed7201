import type { AdminStats, DayStats } from '../features/admin/api/stats';
import type { ApiKey, Draft, Export, Image, Share } from '../types/api';

/** A saved image as the server sends it; override what a test cares about. */
export function makeImage(id: string, overrides: Partial<Image> = {}): Image {
  return {
    id,
    generation_id: 'g1',
    prompt: `prompt ${id}`,
    negative_prompt: null,
    model: 'offline-preview',
    provider: 'offline',
    width: 1024,
    height: 1024,
    steps: 4,
    seed: 1,
    style: 'none',
    created_at: '2026-11-26T08:00:00Z',
    favorite: false,
    content_type: 'image/jpeg',
    bytes: 1000,
    url: `/media/${id}.jpg`,
    thumbnail_url: `/media/${id}.thumb.jpg`,
    thumbnail_width: 512,
    thumbnail_height: 512,
    placeholder: '#5a6b7c',
    timings: { inference_ms: 12 },
    trashed_at: null,
    purge_at: null,
    collection_ids: [],
    ...overrides,
  };
}

/** An API key as the server lists it: never used, never expiring; override what a test cares about. */
export function makeApiKey(id: string, overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    name: `Key ${id}`,
    prefix: `pcp_${id.padEnd(4, '0').slice(0, 4)}`,
    created_at: '2026-11-20T08:00:00Z',
    last_used_at: null,
    expires_at: null,
    ...overrides,
  };
}

/**
 * A share link of image `targetId` as the server lists it, with the prompt
 * hidden; override what a test cares about (`kind: 'collection'` for a collection).
 */
export function makeShare(targetId: string, overrides: Partial<Share> = {}): Share {
  const token = overrides.token ?? `tok-${targetId}`;
  return {
    token,
    url: `https://promptcanvas.test/s/${token}`,
    show_prompt: false,
    created_at: '2026-11-28T08:00:00Z',
    kind: 'image',
    target_id: targetId,
    ...overrides,
  };
}

/**
 * A ZIP export as the server lists it: 3 images, 2.5 MB, made 2026-12-01 at
 * 09:00 UTC with a link for 24 hours; override what a test cares about.
 */
export function makeExport(id: string, overrides: Partial<Export> = {}): Export {
  return {
    id,
    image_count: 3,
    bytes: 2_621_440,
    url: `https://promptcanvas.test/exports/${id}/promptcanvas-export-${id}.zip?sig=s${id}`,
    created_at: '2026-12-01T09:00:00Z',
    expires_at: '2026-12-02T09:00:00Z',
    ...overrides,
  };
}

/** A live-mode draft as the server sends it: 512 × 512, one step, free on the offline engine. */
export function makeDraft(id: string, overrides: Partial<Draft> = {}): Draft {
  return {
    id,
    created_at: '2026-12-01T09:00:00Z',
    prompt: `prompt ${id}`,
    negative_prompt: null,
    model: 'offline-preview',
    provider: 'offline',
    width: 512,
    height: 512,
    steps: 1,
    seed: 7,
    style: 'none',
    url: `/media/drafts/${id}.jpg`,
    expires_at: '2026-12-01T10:00:00Z',
    timings: { provider_ms: 9, total_ms: 12 },
    cost_usd: 0,
    ...overrides,
  };
}

/**
 * GET /api/admin/stats as the server sends it: 30 days ending 2026-12-03
 * (today), quiet but for the days `active` names; override what a test cares about.
 */
export function makeAdminStats(
  active: Record<string, Partial<DayStats>> = {},
  overrides: Partial<AdminStats> = {},
): AdminStats {
  const generations_by_day = Array.from({ length: 30 }, (_, i) => {
    const day = new Date(Date.UTC(2026, 10, 4 + i)).toISOString().slice(0, 10);
    return {
      day,
      generations: 0,
      images: 0,
      failures: 0,
      rate_limited: 0,
      client_errors: 0,
      ...active[day],
    };
  });
  return {
    users: { total: 12, active_1d: 3, active_7d: 5, active_30d: 9 },
    images: 340,
    storage_bytes: 123_456_789,
    generations_by_day,
    by_model: [],
    errors: { generation_failures: 0, rate_limited: 0, client_errors: 0, top_failure_codes: [] },
    ...overrides,
  };
}
