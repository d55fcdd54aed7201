import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useReducer, useState, type Dispatch, type SetStateAction } from 'react';
import { describeError, toApiError } from '../../../lib/errors';
import { queryKeys } from '../../../lib/queryKeys';
import { randomSeed } from '../../../utils/random';
import type { GenerateForm } from '../hooks/useGenerateForm';
import { createDraft } from './api';
import { DraftScheduler, type DraftInput } from './draftScheduler';
import { draftStackReducer, emptyDraftStack, type DraftStackAction } from './stackState';
import { draftSettings } from './requests';

/** Why live mode stopped or paused, in words. */
export interface LiveNotice {
  /**
   * `paused`: it goes on by itself after the wait; `off`: the month's quota or
   * budget turned the switch off; `failed`: one draft failed, live mode goes on.
   */
  kind: 'paused' | 'off' | 'failed';
  message: string;
}

const READY = 'Draft ready';

/** What answering a draft request changes. */
interface Live {
  qc: QueryClient;
  dispatch: Dispatch<DraftStackAction>;
  setOn: (on: boolean) => void;
  setNotice: Dispatch<SetStateAction<LiveNotice | null>>;
  setAnnouncement: Dispatch<SetStateAction<string>>;
  scheduler: DraftScheduler;
}

/**
 * Asks for one draft and puts it on the stack. A 429 pauses live mode for
 * as long as the server says; the month's quota or budget turns it off.
 */
async function sendDraft(live: Live, { prompt, settings }: DraftInput, signal: AbortSignal) {
  try {
    const draft = await createDraft({ ...(JSON.parse(settings) as object), prompt }, signal);
    live.dispatch({ type: 'add', draft });
    live.setNotice((n) => (n?.kind === 'off' ? n : null));
    // The same words twice in a row would not be read again.
    live.setAnnouncement((a) => (a === READY ? `${READY}\u00a0` : READY));
    void live.qc.invalidateQueries({ queryKey: queryKeys.me });
  } catch (error) {
    if (signal.aborted) return;
    const err = toApiError(error);
    if (err.code === 'rate_limited') {
      live.scheduler.pauseFor((err.retryAfter ?? 10) * 1000);
      live.setNotice({ kind: 'paused', message: `Live is paused. ${describeError(err)}` });
    } else if (err.code === 'quota_exceeded' || err.code === 'budget_exceeded') {
      live.setOn(false);
      live.setNotice({ kind: 'off', message: `Live is off. ${describeError(err)}` });
    } else {
      live.setNotice({ kind: 'failed', message: describeError(err) });
    }
  }
}

/**
 * Live mode on the Generate page: while it is on, the prompt is drafted as it
 * is typed (see DraftScheduler for when), at the model's fastest settings and
 * one seed for the whole session, so drafts differ by their words only.
 */
export function useLiveDrafts(form: GenerateForm) {
  const qc = useQueryClient();
  const [on, setOn] = useState(false);
  const [seed, setSeed] = useState(0);
  const [stack, dispatch] = useReducer(draftStackReducer, emptyDraftStack);
  const [notice, setNotice] = useState<LiveNotice | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const [scheduler] = useState(() => {
    const live: Live = { qc, dispatch, setOn, setNotice, setAnnouncement, scheduler: null! };
    live.scheduler = new DraftScheduler({
      send: (input, signal) => sendDraft(live, input, signal),
    });
    return live.scheduler;
  });

  const settings = draftSettings(form, seed);
  const settingsKey = settings ? JSON.stringify(settings) : null;
  const tooLong = form.prompt.length > form.maxChars;

  useEffect(() => {
    if (!on || settingsKey === null || tooLong) return;
    scheduler.change({ prompt: form.prompt, settings: settingsKey });
  }, [on, form.prompt, settingsKey, tooLong, scheduler]);

  useEffect(() => {
    if (!on) return;
    return () => scheduler.stop();
  }, [on, scheduler]);

  return {
    on,
    setOn: (next: boolean) => {
      if (next) {
        // A locked seed is the person's choice; otherwise one seed for this live session.
        const locked = form.seedLocked && form.seed.trim() !== '' ? Number(form.seed) : NaN;
        setSeed(Number.isInteger(locked) ? locked : randomSeed());
      }
      setNotice(null);
      setOn(next);
    },
    stack,
    dispatch,
    notice,
    announcement,
  };
}

export type LiveDrafts = ReturnType<typeof useLiveDrafts>;
