import { useEffect } from 'react';
import type { GenerationRequest } from '../../../types/api';

const KEY = 'promptcanvas.generate-draft';

/**
 * The prompt and settings being written, kept per tab (sessionStorage) so a
 * reload or a visit to the gallery does not lose them; gone once generated.
 */
export function readDraft(): Partial<GenerationRequest> | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Partial<GenerationRequest>) : null;
  } catch {
    return null;
  }
}

export function clearDraft(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage may be unavailable (private mode, quota): the draft is a nicety.
  }
}

/** Saves the draft whenever it changes (not when it merely stays the same after a run). */
export function useKeepDraft(draft: Partial<GenerationRequest>): void {
  const json = JSON.stringify(draft);
  useEffect(() => {
    try {
      window.sessionStorage.setItem(KEY, json);
    } catch {
      // See clearDraft.
    }
  }, [json]);
}
