/**
 * The draft stack: newest first, at most `DRAFT_STACK_MAX`. While the person
 * points at it or works in it, it is frozen: new drafts wait in `incoming`
 * (the stack offers to show them) so nothing moves under the pointer.
 */
import type { Draft } from '../../../types/api';

export const DRAFT_STACK_MAX = 12;

export interface StackedDraft {
  draft: Draft;
  /** The prompt of the draft before it, which its diff is shown against. */
  previousPrompt: string | null;
  /** The gallery image it became, once kept. */
  keptImageId?: string;
}

export interface DraftStack {
  shown: StackedDraft[];
  incoming: StackedDraft[];
  frozen: boolean;
}

export type DraftStackAction =
  | { type: 'add'; draft: Draft }
  | { type: 'freeze' }
  /** Shows what came in meanwhile, frozen or not. */
  | { type: 'reveal' }
  /** Unfreezes and shows what came in meanwhile. */
  | { type: 'release' }
  | { type: 'kept'; draftId: string; imageId: string };

export const emptyDraftStack: DraftStack = { shown: [], incoming: [], frozen: false };

const cap = (drafts: StackedDraft[]) => drafts.slice(0, DRAFT_STACK_MAX);

export function draftStackReducer(state: DraftStack, action: DraftStackAction): DraftStack {
  switch (action.type) {
    case 'add': {
      const newest = state.incoming[0] ?? state.shown[0];
      const item: StackedDraft = {
        draft: action.draft,
        previousPrompt: newest ? newest.draft.prompt : null,
      };
      return state.frozen
        ? { ...state, incoming: cap([item, ...state.incoming]) }
        : { ...state, shown: cap([item, ...state.shown]) };
    }
    case 'freeze':
      return state.frozen ? state : { ...state, frozen: true };
    case 'reveal':
    case 'release': {
      const frozen = action.type === 'reveal' && state.frozen;
      if (state.incoming.length === 0 && frozen === state.frozen) return state;
      return { shown: cap([...state.incoming, ...state.shown]), incoming: [], frozen };
    }
    case 'kept': {
      const mark = (items: StackedDraft[]) =>
        items.map((item) =>
          item.draft.id === action.draftId ? { ...item, keptImageId: action.imageId } : item,
        );
      return { ...state, shown: mark(state.shown), incoming: mark(state.incoming) };
    }
  }
}
