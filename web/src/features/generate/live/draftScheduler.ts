/**
 * When live mode asks for a draft. Typing is debounced (a pause of
 * `debounceMs`), and during a long stretch of typing a draft of the words
 * finished so far is asked for every `maxWaitMs`, so pictures follow the
 * prompt; two requests are never closer than `debounceMs`. A draft is asked
 * for only when the words (in any case, however spaced) or the settings
 * differ from the last one's. A newer draft cancels the ones on their way,
 * and no more than `maxInFlight` requests are ever unanswered: a cancelled
 * request counts until it settles, and the newest waits for a free place.
 */

/** What a draft is made of: the prompt, and the other settings as one opaque string. */
export interface DraftInput {
  prompt: string;
  settings: string;
}

export interface DraftSchedulerOptions {
  /** Asks for one draft; the signal aborts it. */
  send: (input: DraftInput, signal: AbortSignal) => Promise<unknown>;
  debounceMs?: number;
  maxWaitMs?: number;
  maxInFlight?: number;
}

export const DRAFT_DEBOUNCE_MS = 400;
export const DRAFT_MAX_WAIT_MS = 1200;
export const DRAFTS_IN_FLIGHT = 2;

/** The prompt's words, lowercased and singly spaced: what decides whether it changed. */
export function normalWords(prompt: string): string {
  return prompt.toLowerCase().split(/\s+/).filter(Boolean).join(' ');
}

/**
 * The prompt up to its last finished word: a word still being typed (no space
 * after it yet) is left out. A pause finishes it: then the whole prompt counts.
 */
export function finishedWords(prompt: string): string {
  return /\s$/.test(prompt) ? prompt.trim() : prompt.replace(/\S+$/, '').trim();
}

type Timer = ReturnType<typeof setTimeout>;

export class DraftScheduler {
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly maxInFlight: number;
  private latest: DraftInput | null = null;
  /** Fires after a pause in typing. */
  private quietTimer: Timer | undefined;
  /** Fires during a long stretch of typing. */
  private typingTimer: Timer | undefined;
  private lastKey: string | null = null;
  private lastSentAt = -Infinity;
  private pausedUntil = 0;
  /** Requests sent and not settled yet, cancelled or not. */
  private readonly unsettled = new Set<AbortController>();
  private waiting: DraftInput | null = null;

  constructor(private readonly options: DraftSchedulerOptions) {
    this.debounceMs = options.debounceMs ?? DRAFT_DEBOUNCE_MS;
    this.maxWaitMs = options.maxWaitMs ?? DRAFT_MAX_WAIT_MS;
    this.maxInFlight = options.maxInFlight ?? DRAFTS_IN_FLIGHT;
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.unsettled.size;
  }

  /** The prompt or settings changed. */
  change(input: DraftInput) {
    this.latest = input;
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.fire(true), this.debounceMs);
    this.typingTimer ??= setTimeout(() => this.fire(false), this.maxWaitMs);
  }

  /** No requests for `ms` (the server said to wait); then the latest prompt is drafted, even unchanged. */
  pauseFor(ms: number) {
    this.pausedUntil = Date.now() + ms;
    this.lastKey = null;
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.fire(true), ms);
  }

  /** Live mode is off: nothing more is sent, and what is on its way is cancelled. */
  stop() {
    clearTimeout(this.quietTimer);
    clearTimeout(this.typingTimer);
    this.quietTimer = undefined;
    this.typingTimer = undefined;
    for (const controller of this.unsettled) controller.abort();
    this.latest = null;
    this.waiting = null;
    this.lastKey = null;
    this.pausedUntil = 0;
  }

  private fire(paused: boolean) {
    if (paused) {
      this.quietTimer = undefined;
      clearTimeout(this.typingTimer);
    }
    this.typingTimer = undefined;
    const input = this.latest;
    if (!input) return;
    const prompt = paused ? input.prompt.trim() : finishedWords(input.prompt);
    const key = `${normalWords(prompt)}\u0000${input.settings}`;
    if (!prompt || key === this.lastKey) return;
    const wait = Math.max(this.lastSentAt + this.debounceMs, this.pausedUntil) - Date.now();
    if (wait > 0) {
      // Too soon after the last request, or paused: the same check, later.
      const retry = setTimeout(() => this.fire(paused), wait);
      if (paused) this.quietTimer = retry;
      else this.typingTimer = retry;
      return;
    }
    this.lastKey = key;
    this.lastSentAt = Date.now();
    this.start({ prompt, settings: input.settings });
  }

  private start(input: DraftInput) {
    // The drafts on their way are for an older prompt.
    for (const controller of this.unsettled) controller.abort();
    if (this.unsettled.size >= this.maxInFlight) this.waiting = input;
    else this.launch(input);
  }

  private launch(input: DraftInput) {
    const controller = new AbortController();
    this.unsettled.add(controller);
    const settle = () => {
      this.unsettled.delete(controller);
      const next = this.waiting;
      if (next && this.unsettled.size < this.maxInFlight) {
        this.waiting = null;
        this.launch(next);
      }
    };
    this.options.send(input, controller.signal).then(settle, settle);
  }
}
