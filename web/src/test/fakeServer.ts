/**
 * A small in-memory PromptCanvas server for component tests: the signed-in
 * test user, images (with the trash, favourites, search and collections),
 * bulk actions, collections, API keys, share links, ZIP exports and the admin figures,
 * answering as API.md says.
 * `answer` may take over any request first (to fail one, or hold it).
 */
import type { AdminStats } from '../features/admin/api/stats';
import type {
  ApiKey,
  ApiKeyCreate,
  BulkRequest,
  Collection,
  CollectionUpdate,
  Export,
  ExportRequest,
  Image,
  Share,
  ShareRequest,
} from '../types/api';
import { makeAdminStats, makeApiKey, makeExport, makeImage, makeShare } from './fixtures';
import {
  makeConfig,
  mockApi,
  problem,
  testMe,
  type MockResponse,
  type RecordedRequest,
} from './utils';

export interface FakeServerOptions {
  images?: Image[];
  collections?: Collection[];
  /** The test user's API keys, newest first. */
  keys?: ApiKey[];
  /** The test user's share links, newest first. */
  shares?: Share[];
  /** The test user's ZIP exports whose links still work, newest first. */
  exports?: Export[];
  /** Most images one ZIP may hold (the config's `export_max_images`); 1000 unless told. */
  exportMax?: number;
  /**
   * The test user is one of the server's admins: /me says so and
   * /admin/stats answers these figures (others get a 404, as from the server).
   */
  admin?: AdminStats | true;
  /** Takes over any request it answers (undefined: the fake server answers). */
  answer?: (req: RecordedRequest) => MockResponse | undefined | Promise<MockResponse | undefined>;
}

export function makeCollection(id: string, overrides: Partial<Collection> = {}): Collection {
  return {
    id,
    name: `Collection ${id}`,
    description: null,
    image_count: 0,
    cover: null,
    cover_image_id: null,
    created_at: '2026-11-20T08:00:00Z',
    updated_at: '2026-11-20T08:00:00Z',
    ...overrides,
  };
}

/** Five images, e (newest) to a. */
export const fiveImages = () =>
  ['e', 'd', 'c', 'b', 'a'].map((id, n) =>
    makeImage(id, { created_at: `2026-11-26T08:0${5 - n}:00Z` }),
  );

let clock = 0;
const now = () => new Date(Date.UTC(2026, 11, 1, 9, 0, clock++)).toISOString();

export function fakeServer(options: FakeServerOptions = {}) {
  const images: Image[] = options.images ?? fiveImages();
  const collections: Collection[] = options.collections ?? [];
  const keys: ApiKey[] = options.keys ?? [];
  const shares: Share[] = options.shares ?? [];
  const exports: Export[] = options.exports ?? [];
  const exportMax = options.exportMax ?? 1000;

  const visible = () => images.filter((i) => !i.trashed_at);
  const inCollection = (c: Collection) => visible().filter((i) => i.collection_ids.includes(c.id));

  /** A collection as the server shows it: count and cover worked out from its images. */
  function view(c: Collection): Collection {
    const members = inCollection(c);
    const chosen = members.find((i) => i.id === c.cover_image_id);
    const coverImage = chosen ?? members[0];
    return {
      ...c,
      image_count: members.length,
      cover: coverImage
        ? {
            image_id: coverImage.id,
            thumbnail_url: coverImage.thumbnail_url,
            placeholder: coverImage.placeholder,
          }
        : null,
    };
  }

  const touch = (c: Collection) => {
    c.updated_at = now();
  };
  const byRecent = () =>
    [...collections].sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1)).map(view);

  function nameProblem(name: unknown, except?: string): MockResponse | undefined {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (!trimmed || trimmed.length > 80) {
      return problem(422, 'invalid_request', 'The name must be 1 to 80 characters.', {
        errors: [{ field: 'name', message: 'Use 1 to 80 characters.' }],
      });
    }
    if (collections.some((c) => c.id !== except && c.name.toLowerCase() === trimmed.toLowerCase()))
      return problem(409, 'name_taken', 'You already have a collection with that name.');
    return undefined;
  }

  function serve(req: RecordedRequest): MockResponse {
    const { method, url } = req;
    if (url === '/config') {
      const config = makeConfig();
      return { data: { ...config, limits: { ...config.limits, export_max_images: exportMax } } };
    }
    if (url === '/me') return { data: options.admin ? { ...testMe, admin: true } : testMe };
    if (url === '/admin/stats' && method === 'GET') {
      if (!options.admin) return problem(404, 'not_found', `No route for ${method} ${url}.`);
      return { data: options.admin === true ? makeAdminStats() : options.admin };
    }
    if (url === '/images' && method === 'GET') {
      let list = req.params.trashed === 'true' ? images.filter((i) => i.trashed_at) : visible();
      if (req.params.collection) {
        const c = collections.find((x) => x.id === req.params.collection);
        if (!c) return problem(404, 'not_found', 'No such collection.');
        list = list.filter((i) => i.collection_ids.includes(c.id));
      }
      if (req.params.favorite === 'true') list = list.filter((i) => i.favorite);
      if (req.params.q) list = list.filter((i) => i.prompt.includes(req.params.q!));
      return { data: { items: list, next_cursor: null } };
    }
    const moveMatch = /^\/images\/([^/]+)\/(trash|restore)$/.exec(url);
    if (moveMatch && method === 'POST') {
      const image = images.find((i) => i.id === decodeURIComponent(moveMatch[1]!));
      if (!image) return problem(404, 'not_found', 'No such image.');
      const includeFavorites = (req.data as { include_favorites?: boolean } | undefined)
        ?.include_favorites;
      if (moveMatch[2] === 'trash' && image.favorite && !includeFavorites)
        return problem(409, 'favorite_protected', 'This image is a favourite.');
      image.trashed_at = moveMatch[2] === 'trash' ? now() : null;
      return { data: { ...image } };
    }
    const imageMatch = /^\/images\/([^/]+)$/.exec(url);
    if (imageMatch && imageMatch[1] !== 'bulk') {
      const image = images.find((i) => i.id === decodeURIComponent(imageMatch[1]!));
      if (!image) return problem(404, 'not_found', 'No such image.');
      if (method === 'PATCH') Object.assign(image, req.data as object);
      return { data: { ...image } };
    }
    if (url === '/images/bulk') {
      const body = req.data as BulkRequest;
      const c = body.collection_id
        ? collections.find((x) => x.id === body.collection_id)
        : undefined;
      const membership =
        body.action === 'add_to_collection' || body.action === 'remove_from_collection';
      if (membership && !body.collection_id)
        return problem(422, 'invalid_request', 'collection_id is required.');
      if (membership && !c) return problem(404, 'not_found', 'No such collection.');
      const succeeded: string[] = [];
      const failed: Array<{ id: string; code: string }> = [];
      for (const id of body.ids) {
        const image = images.find((i) => i.id === id);
        if (!image || (membership && image.trashed_at)) {
          failed.push({ id, code: 'not_found' });
          continue;
        }
        if (body.action === 'favorite') image.favorite = true;
        if (body.action === 'unfavorite') image.favorite = false;
        if (body.action === 'trash') image.trashed_at = now();
        if (body.action === 'restore') image.trashed_at = null;
        if (body.action === 'add_to_collection' && !image.collection_ids.includes(c!.id))
          image.collection_ids = [...image.collection_ids, c!.id];
        if (body.action === 'remove_from_collection')
          image.collection_ids = image.collection_ids.filter((x) => x !== c!.id);
        succeeded.push(id);
      }
      if (c && succeeded.length > 0) touch(c);
      return { data: { succeeded, failed } };
    }
    if (url === '/collections' && method === 'GET') return { data: { items: byRecent() } };
    if (url === '/collections' && method === 'POST') {
      const body = req.data as { name: string; description?: string | null };
      const refused = nameProblem(body.name);
      if (refused) return refused;
      const c = makeCollection(`c${collections.length + 1}-${clock}`, {
        name: body.name.trim(),
        description: body.description?.trim() || null,
        created_at: now(),
        updated_at: now(),
      });
      collections.push(c);
      return { status: 201, data: view(c) };
    }
    const collectionMatch = /^\/collections\/([^/]+)$/.exec(url);
    if (collectionMatch) {
      const at = collections.findIndex((x) => x.id === decodeURIComponent(collectionMatch[1]!));
      const c = collections[at];
      if (!c) return problem(404, 'not_found', 'No such collection.');
      if (method === 'DELETE') {
        collections.splice(at, 1);
        for (const image of images)
          image.collection_ids = image.collection_ids.filter((x) => x !== c.id);
        return { status: 204 };
      }
      if (method === 'PATCH') {
        const body = req.data as CollectionUpdate;
        if (body.name != null) {
          const refused = nameProblem(body.name, c.id);
          if (refused) return refused;
          c.name = body.name.trim();
        }
        if (body.description !== undefined) c.description = body.description?.trim() || null;
        if (body.cover_image_id !== undefined) {
          if (body.cover_image_id && !inCollection(c).some((i) => i.id === body.cover_image_id))
            return problem(
              409,
              'cover_not_in_collection',
              'A cover must be an image of the collection that is not in the trash.',
            );
          c.cover_image_id = body.cover_image_id;
        }
        touch(c);
      }
      return { data: view(c) };
    }
    if (url.startsWith('/keys')) return serveKeys(req);
    if (url === '/shares' || url.endsWith('/share')) return serveShares(req);
    if (url === '/exports') return serveExports(req);
    return problem(404, 'not_found', `No route for ${method} ${url}.`);
  }

  /** At most 20 live keys; a new one's secret is answered once and kept nowhere. */
  function serveKeys({ method, url, data }: RecordedRequest): MockResponse {
    if (url === '/keys' && method === 'GET') return { data: { items: [...keys] } };
    if (url === '/keys' && method === 'POST') {
      const body = data as ApiKeyCreate;
      const name = body.name.trim();
      if (!name || name.length > 80)
        return problem(422, 'invalid_request', 'The name must be 1 to 80 characters.', {
          errors: [{ field: 'name', message: 'Use 1 to 80 characters.' }],
        });
      if (keys.length >= 20)
        return problem(422, 'too_many_keys', 'You have 20 live keys: revoke one first.');
      const created = now();
      const key = makeApiKey(`key-${clock}`, {
        name,
        created_at: created,
        expires_at: body.expires_in_days
          ? new Date(Date.parse(created) + body.expires_in_days * 86_400_000).toISOString()
          : null,
      });
      keys.unshift(key);
      return { status: 201, data: { key, secret: `${key.prefix}_secret${clock}` } };
    }
    const at = keys.findIndex((k) => url === `/keys/${encodeURIComponent(k.id)}`);
    if (at < 0 || method !== 'DELETE') return problem(404, 'not_found', 'No such key.');
    keys.splice(at, 1);
    return { status: 204 };
  }

  /**
   * Sharing one's own image (not in the trash) or collection: 201 with a new
   * link, or 200 with the one it has, its `show_prompt` set as asked.
   * Stopping: 204, or 404 when it is not shared.
   */
  function serveShares({ method, url, data }: RecordedRequest): MockResponse {
    if (url === '/shares' && method === 'GET') return { data: { items: [...shares] } };
    const match = /^\/(images|collections)\/([^/]+)\/share$/.exec(url);
    if (!match || (method !== 'POST' && method !== 'DELETE'))
      return problem(404, 'not_found', `No route for ${method} ${url}.`);
    const kind = match[1] === 'images' ? 'image' : 'collection';
    const id = decodeURIComponent(match[2]!);
    const exists =
      kind === 'image'
        ? images.some((i) => i.id === id && !i.trashed_at)
        : collections.some((c) => c.id === id);
    const at = shares.findIndex((s) => s.kind === kind && s.target_id === id);
    if (method === 'DELETE') {
      if (at < 0) return problem(404, 'not_found', 'This is not shared.');
      shares.splice(at, 1);
      return { status: 204 };
    }
    if (!exists) return problem(404, 'not_found', `No such ${kind}.`);
    const showPrompt = (data as ShareRequest | undefined)?.show_prompt ?? false;
    if (at >= 0) {
      shares[at] = { ...shares[at]!, show_prompt: showPrompt };
      return { status: 200, data: { share: shares[at] } };
    }
    const share = makeShare(id, {
      kind,
      token: `tok-${id}-${clock}`,
      show_prompt: showPrompt,
      created_at: now(),
    });
    shares.unshift(share);
    return { status: 201, data: { share } };
  }

  /**
   * A ZIP of the images asked for (never the trash): ids (each one yours and
   * not in the trash), a collection, the favourites, or everything; at most
   * `exportMax` images, at least one.
   */
  function serveExports({ method, data }: RecordedRequest): MockResponse {
    if (method === 'GET') return { data: { items: [...exports] } };
    if (method !== 'POST') return problem(404, 'not_found', `No route for ${method} /exports.`);
    const body = (data ?? {}) as ExportRequest;
    const asked = [body.ids, body.collection_id, body.favorites].filter((x) => x != null);
    if (asked.length > 1 || body.favorites === false)
      return problem(422, 'invalid_request', 'Ask for ids, a collection or the favourites.');
    let chosen: Image[];
    if (body.ids) {
      chosen = [];
      for (const id of body.ids) {
        const image = visible().find((i) => i.id === id);
        if (!image) return problem(404, 'not_found', `No image ${id}.`);
        chosen.push(image);
      }
    } else if (body.collection_id) {
      const c = collections.find((x) => x.id === body.collection_id);
      if (!c) return problem(404, 'not_found', 'No such collection.');
      chosen = inCollection(c);
    } else if (body.favorites) chosen = visible().filter((i) => i.favorite);
    else chosen = visible();
    if (chosen.length > exportMax)
      return problem(
        422,
        'too_many_images',
        `An export holds at most ${exportMax} images; this one would hold ${chosen.length}.`,
      );
    if (chosen.length === 0)
      return problem(422, 'nothing_to_export', 'There are no images to export.');
    // On the real clock: the page compares the link's expiry with it.
    const created = Date.now();
    const made = makeExport(`x${clock++}`, {
      image_count: chosen.length,
      bytes: chosen.reduce((sum, i) => sum + i.bytes, 0),
      created_at: new Date(created).toISOString(),
      expires_at: new Date(created + 24 * 3_600_000).toISOString(),
    });
    exports.unshift(made);
    return { status: 201, data: { export: made } };
  }

  const api = mockApi(async (req) => (await options.answer?.(req)) ?? serve(req));
  const bulk = () =>
    api.requests.filter((r) => r.url === '/images/bulk').map((r) => r.data as BulkRequest);
  const exportRequests = () =>
    api.requests
      .filter((r) => r.url === '/exports' && r.method === 'POST')
      .map((r) => r.data as ExportRequest);
  return { api, images, collections, keys, shares, exports, bulk, exportRequests, view };
}
