import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftScheduler, finishedWords, normalWords, type DraftInput } from './draftScheduler';

/** A scheduler whose requests are answered only when the test says so. */
function harness() {
  const sent: Array<{ input: DraftInput; signal: AbortSignal; answer: () => void }> = [];
  const scheduler = new DraftScheduler({
    send: (input, signal) =>
      new Promise<void>((resolve) => sent.push({ input, signal, answer: resolve })),
  });
  const type = (prompt: string) => scheduler.change({ prompt, settings: 's' });
  return { scheduler, sent, type };
}

describe('which prompts are worth a draft', () => {
  it('compares words, not case or spacing', () => {
    expect(normalWords('  A Red   fox ')).toBe('a red fox');
  });

  it('counts a word once a space follows it', () => {
    expect(finishedWords('a red fo')).toBe('a red');
    expect(finishedWords('a red fox ')).toBe('a red fox');
    expect(finishedWords('fox')).toBe('');
  });
});

describe('the draft scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks once typing pauses, and not again for the same words in another case or spacing', async () => {
    const { sent, type } = harness();
    type('a red fox');
    await vi.advanceTimersByTimeAsync(399);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.input.prompt)).toEqual(['a red fox']);

    type('A  red fox ');
    await vi.advanceTimersByTimeAsync(2000);
    expect(sent).toHaveLength(1);
  });

  it('cancels the draft on its way when a newer one starts', async () => {
    const { sent, type } = harness();
    type('a red fox');
    await vi.advanceTimersByTimeAsync(400);
    type('a red fox in snow');
    await vi.advanceTimersByTimeAsync(400);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.signal.aborted).toBe(true);
    expect(sent[1]?.signal.aborted).toBe(false);
  });

  it('during a long stretch of typing, drafts the finished words only', async () => {
    const { sent, type } = harness();
    const text = 'a lighthouse at dusk';
    for (let i = 1; i <= text.length; i++) {
      type(text.slice(0, i));
      await vi.advanceTimersByTimeAsync(100);
    }
    // Two seconds of typing without a pause: at 1.2 s, "a lighthouse" was on the screen,
    // and only "a" was a finished word.
    expect(sent.map((s) => s.input.prompt)).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(400);
    expect(sent.map((s) => s.input.prompt)).toEqual(['a', 'a lighthouse at dusk']);
  });

  it('keeps no more than two requests unanswered: the newest waits for a place', async () => {
    const { scheduler, sent, type } = harness();
    for (const prompt of ['one', 'one two', 'one two three']) {
      type(prompt);
      await vi.advanceTimersByTimeAsync(400);
    }
    expect(sent).toHaveLength(2);
    expect(scheduler.inFlight).toBe(2);
    sent[0]?.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.input.prompt)).toEqual(['one', 'one two', 'one two three']);
    expect(scheduler.inFlight).toBe(2);
  });

  it('after a pause the server asked for, drafts the latest prompt, even unchanged', async () => {
    const { scheduler, sent, type } = harness();
    type('a red fox');
    await vi.advanceTimersByTimeAsync(400);
    sent[0]?.answer();
    scheduler.pauseFor(30_000);
    type('a red fox in snow');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.input.prompt)).toEqual(['a red fox', 'a red fox in snow']);
  });

  it('stops: nothing more is sent and what is on its way is cancelled', async () => {
    const { scheduler, sent, type } = harness();
    type('a red fox');
    await vi.advanceTimersByTimeAsync(400);
    type('a red fox in snow');
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.signal.aborted).toBe(true);
  });
});
