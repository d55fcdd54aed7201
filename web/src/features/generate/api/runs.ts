/**
 * The runs started on the Generate page. A run of n images is sent as n
 * requests of one image each, so every image shows as soon as it is ready and
 * one failure does not sink the others. Runs live here, outside any component
 * (one store per query client), so they keep going and stay listed while the
 * person is on another page.
 */
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, toApiError } from '../../../lib/errors';
import { imageQueryOptions } from '../../../lib/images';
import { queryKeys } from '../../../lib/queryKeys';
import type { GenerationRequest, Image } from '../../../types/api';
import { seedOfImage, uuid } from '../../../utils/random';
import { clearDraft } from '../hooks/useGenerateDraft';
import { createGeneration } from './generations';
import { rememberRun } from './runHistory';

export type SlotStatus = 'pending' | 'done' | 'failed';

export interface Slot {
  index: number;
  /** The seed this image was asked for; undefined lets the server pick. */
  seed: number | undefined;
  /** This image's Idempotency-Key: `<run key>.<index>`, with a suffix for retries after an answer. */
  key: string;
  attempt: number;
  status: SlotStatus;
  image?: Image;
  error?: ApiError;
}

export interface Run {
  key: string;
  /** The settings of the whole run (`n` images). */
  request: GenerationRequest;
  startedAt: number;
  slots: Slot[];
}

export interface RunsState {
  /** Newest first. */
  runs: Run[];
  /** What the polite live region says about the last run that finished. */
  announcement: string;
}

/** No answer at all, or the first request still running: it may have generated already. */
export function outcomeUnknown(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.code === 'idempotency_conflict');
}

function summary(run: Run): string {
  const ready = run.slots.filter((s) => s.status === 'done').length;
  const failed = run.slots.length - ready;
  if (ready === 0) return run.slots.length === 1 ? 'Generation failed' : 'No images generated';
  const images = `${ready} image${ready === 1 ? '' : 's'} ready`;
  return failed === 0 ? images : `${images}, ${failed} failed`;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RunStore {
  private state: RunsState = { runs: [], announcement: '' };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly qc: QueryClient) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getState = () => this.state;

  private set(next: RunsState) {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private run(key: string): Run | undefined {
    return this.state.runs.find((r) => r.key === key);
  }

  private updateSlot(runKey: string, index: number, patch: Partial<Slot>) {
    const runs = this.state.runs.map((run) =>
      run.key === runKey
        ? { ...run, slots: run.slots.map((s) => (s.index === index ? { ...s, ...patch } : s)) }
        : run,
    );
    let { announcement } = this.state;
    const run = runs.find((r) => r.key === runKey);
    if (run && patch.status !== 'pending' && run.slots.every((s) => s.status !== 'pending')) {
      const text = summary(run);
      // The same words twice in a row would not be read again.
      announcement = text === announcement ? `${text}\u00a0` : text;
    }
    this.set({ runs, announcement });
  }

  /** Starts a run; returns its key. */
  start(request: GenerationRequest): string {
    const key = uuid();
    const n = Math.max(1, request.n ?? 1);
    const slots: Slot[] = Array.from({ length: n }, (_, index) => ({
      index,
      seed: request.seed == null ? undefined : seedOfImage(request.seed, index),
      key: `${key}.${index}`,
      attempt: 0,
      status: 'pending',
    }));
    const run: Run = { key, request: { ...request, n }, startedAt: Date.now(), slots };
    this.set({ ...this.state, runs: [run, ...this.state.runs] });
    for (const slot of slots) void this.send(run, slot);
    return key;
  }

  /**
   * Sends the run's failed images again with the same settings. An image whose
   * last attempt got no answer (a timeout, a dropped connection) or is still
   * running on the server keeps its key, so the server answers with what it
   * made instead of generating (and charging) twice; after a definite answer,
   * a new key.
   */
  retry(runKey: string) {
    const run = this.run(runKey);
    if (!run) return;
    for (const slot of run.slots) {
      if (slot.status !== 'failed') continue;
      const attempt = outcomeUnknown(slot.error) ? slot.attempt : slot.attempt + 1;
      const key = `${run.key}.${slot.index}${attempt > 0 ? `.${attempt}` : ''}`;
      const next: Slot = { ...slot, key, attempt, status: 'pending', error: undefined };
      this.updateSlot(run.key, slot.index, next);
      void this.send(run, next);
    }
  }

  private async send(run: Run, slot: Slot) {
    const request: GenerationRequest = { ...run.request, n: 1, seed: slot.seed };
    if (slot.seed === undefined) delete request.seed;
    const variables = { request, idempotencyKey: slot.key, group: run.key };
    try {
      let generation;
      try {
        generation = await createGeneration(variables);
      } catch (error) {
        // Only a request that never got an answer is sent again; its key makes that safe.
        if (!(toApiError(error).status === 0)) throw error;
        await wait(1000);
        generation = await createGeneration(variables);
      }
      const image = generation.images[0];
      if (!image) throw new ApiError({ status: 502, code: 'upstream_error' });
      rememberRun(generation.id, run.key);
      this.qc.setQueryData(imageQueryOptions(image.id).queryKey, image);
      void this.qc.invalidateQueries({ queryKey: queryKeys.imageLists });
      void this.qc.invalidateQueries({ queryKey: queryKeys.me });
      clearDraft();
      this.updateSlot(run.key, slot.index, { status: 'done', image, error: undefined });
    } catch (error) {
      this.updateSlot(run.key, slot.index, { status: 'failed', error: toApiError(error) });
    }
  }
}

const stores = new WeakMap<QueryClient, RunStore>();

/** The runs of this app (one store per query client, so each test starts empty). */
export function runStore(qc: QueryClient): RunStore {
  let store = stores.get(qc);
  if (!store) {
    store = new RunStore(qc);
    stores.set(qc, store);
  }
  return store;
}
