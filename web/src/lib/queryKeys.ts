import type { ImageListParams } from '../types/api';

/** Every TanStack Query key in one place, so invalidation stays consistent. */
export const queryKeys = {
  config: ['config'] as const,
  me: ['me'] as const,
  images: ['images'] as const,
  imageLists: ['images', 'list'] as const,
  imageList: (params: ImageListParams) => ['images', 'list', params] as const,
  imageDetails: ['images', 'detail'] as const,
  image: (id: string) => ['images', 'detail', id] as const,
  /** The trash: apart from the gallery's lists, so gallery-wide list updates leave it alone. */
  trashLists: ['images', 'trash'] as const,
  trashList: (params: { limit?: number }) => ['images', 'trash', params] as const,
  collections: ['collections'] as const,
  collectionList: ['collections', 'list'] as const,
  collection: (id: string) => ['collections', 'detail', id] as const,
  adminStats: ['admin', 'stats'] as const,
  /** The caller's API keys: never their secrets, which are shown once and kept nowhere. */
  apiKeys: ['keys'] as const,
  /** The caller's share links: the one place that says whether an image or a collection is shared. */
  shares: ['shares'] as const,
  /** The caller's ZIP exports whose links still work. */
  exports: ['exports'] as const,
};
