import type { Image } from '../types/api';

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
