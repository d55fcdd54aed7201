import { useMemo } from 'react';
import type { ShareKind, ShareList } from '../../../types/api';
import { useShares } from '../api/shares';

const NONE: ReadonlySet<string> = new Set();

/** The ids of the `kind` of thing the list shares. */
export function sharedIds(list: ShareList | undefined, kind: ShareKind): ReadonlySet<string> {
  if (!list) return NONE;
  return new Set(list.items.filter((s) => s.kind === kind).map((s) => s.target_id));
}

/**
 * The ids of the caller's shared images (or collections), worked out once
 * per answer of the shares list, so a grid asks `has(id)` of each card
 * instead of every card searching the list (or asking the server).
 */
export function useSharedIds(kind: ShareKind): ReadonlySet<string> {
  const { data } = useShares();
  return useMemo(() => sharedIds(data, kind), [data, kind]);
}
