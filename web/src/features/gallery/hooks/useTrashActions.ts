import { createContext, useContext } from 'react';
import type { Image } from '../../../types/api';

export interface TrashActions {
  /**
   * Moves an image to the trash at once, with an Undo toast. A favourite is
   * protected: the person is asked first, and only a yes moves it.
   */
  moveToTrash: (image: Image) => void;
  /** Brings an image back from the trash. */
  restore: (image: Image) => void;
}

export const TrashActionsContext = createContext<TrashActions | null>(null);

/** The gallery's trash actions; needs a TrashActionsProvider above. */
export function useTrashActions(): TrashActions {
  const value = useContext(TrashActionsContext);
  if (!value) throw new Error('useTrashActions must be used inside <TrashActionsProvider>');
  return value;
}
