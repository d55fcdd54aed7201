import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { isTextField } from './keys';

interface SelectionState {
  scope: string;
  ids: ReadonlySet<string>;
  /** The item toggled last: where a shift-click range starts. */
  anchor: string | null;
}

const NOTHING: ReadonlySet<string> = new Set();

export interface Multiselect<T> {
  /** The selected items, in list order (only those still in the list). */
  selected: T[];
  count: number;
  isSelected: (id: string) => boolean;
  /** Toggles one item; with `range`, every item from the last one toggled takes its new state. */
  toggle: (id: string, range?: boolean) => void;
  selectAll: () => void;
  /** Selects exactly these (say, the ones an action could not do). */
  selectOnly: (ids: string[]) => void;
  clear: () => void;
}

/**
 * Picking several items of a list, as in a file manager: toggle one, a range
 * with shift (from the last one toggled), every loaded one, none. The
 * selection belongs to one view of the list, `scope` (its search and
 * filters): a new view starts with nothing selected, and items loaded later
 * ("Load more") keep it. Items that leave the list leave the selection.
 */
export function useMultiselect<T extends { id: string }>(
  items: T[],
  scope: string,
): Multiselect<T> {
  const [state, setState] = useState<SelectionState>({ scope, ids: NOTHING, anchor: null });
  // A new view: forget the old selection now, so coming back to that view does not revive it.
  if (state.scope !== scope) setState({ scope, ids: NOTHING, anchor: null });
  const ids = state.scope === scope ? state.ids : NOTHING;
  const selected = items.filter((item) => ids.has(item.id));

  // Read when called, not when rendered: a key pressed right after a page lands sees it.
  const order = useRef<string[]>([]);
  useLayoutEffect(() => {
    order.current = items.map((item) => item.id);
  });

  const toggle = useCallback(
    (id: string, range = false) =>
      setState((prev) => {
        const current = prev.scope === scope ? prev : { scope, ids: NOTHING, anchor: null };
        const next = new Set(current.ids);
        const select = !next.has(id);
        const all = order.current;
        const from = range && current.anchor ? all.indexOf(current.anchor) : -1;
        const to = all.indexOf(id);
        const span =
          from >= 0 && to >= 0 ? all.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
        for (const each of span) {
          if (select) next.add(each);
          else next.delete(each);
        }
        return { scope, ids: next, anchor: id };
      }),
    [scope],
  );
  const selectAll = useCallback(
    () =>
      setState((prev) => ({
        scope,
        ids: new Set(order.current),
        anchor: prev.scope === scope ? prev.anchor : null,
      })),
    [scope],
  );
  const selectOnly = useCallback(
    (only: string[]) => setState({ scope, ids: new Set(only), anchor: null }),
    [scope],
  );
  const clear = useCallback(() => setState({ scope, ids: NOTHING, anchor: null }), [scope]);
  const isSelected = useCallback((id: string) => ids.has(id), [ids]);

  return {
    selected,
    count: selected.length,
    isSelected,
    toggle,
    selectAll,
    selectOnly,
    clear,
  };
}

/**
 * The selection's keys, while focus is in `root` (the list and its bar) or
 * nowhere in particular: Ctrl/⌘-A selects every loaded item, Esc clears the
 * selection, X toggles the item holding focus (marked `data-select-id`).
 * Typing in a text field, or anything inside a dialog, is left alone.
 */
export function useSelectionKeys(
  root: RefObject<HTMLElement | null>,
  selection: Pick<Multiselect<unknown>, 'count' | 'toggle' | 'selectAll' | 'clear'>,
) {
  const latest = useRef(selection);
  useLayoutEffect(() => {
    latest.current = selection;
  });

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.altKey || isTextField(event.target)) return;
      const target = event.target instanceof Element ? event.target : null;
      const inside = Boolean(target && root.current?.contains(target));
      const nowhere = !target || target === document.body || target.id === 'main';
      if (!inside && !nowhere) return;
      const { count, toggle, selectAll, clear } = latest.current;
      const key = event.key.toLowerCase();
      if (event.ctrlKey || event.metaKey) {
        if (key !== 'a' || event.shiftKey) return;
        selectAll();
      } else if (event.key === 'Escape' && count > 0) {
        clear();
      } else if (key === 'x' && !event.shiftKey && !event.repeat) {
        const id = target?.closest<HTMLElement>('[data-select-id]')?.dataset.selectId;
        if (!id) return;
        toggle(id);
      } else {
        return;
      }
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [root]);
}
