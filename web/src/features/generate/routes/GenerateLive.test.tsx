import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeDraft, makeImage } from '../../../test/fixtures';
import {
  makeConfig,
  mockApi,
  problem,
  renderWithProviders,
  testMe,
  type MockResponse,
  type RecordedRequest,
} from '../../../test/utils';
import { queryKeys } from '../../../lib/queryKeys';
import type { GenerationRequest, Image } from '../../../types/api';
import GeneratePage from './Generate';

const emptyGallery = { data: { items: [], next_cursor: null } };

/** The server's 201 answer for a generation of one image. */
const created = (image: Image, id: string): MockResponse => ({
  status: 201,
  data: {
    generation: { ...image, id, images: [image], timings: { provider_ms: 9, total_ms: 12 } },
  },
});

/** A server for the Generate page whose drafts `draft` answers; the rest as usual. */
function server(draft: (req: RecordedRequest, n: number) => MockResponse | Promise<MockResponse>) {
  let n = 0;
  return mockApi((req) => {
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/images') return emptyGallery;
    if (req.url === '/me') return { data: testMe };
    if (req.url === '/drafts') {
      n += 1;
      return draft(req, n);
    }
    const keep = /^\/drafts\/([^/]+)\/keep$/.exec(req.url);
    if (keep) {
      const image = makeImage(`kept-${keep[1]}`, { generation_id: 'g-kept' });
      return created(image, 'g-kept');
    }
    const body = req.data as GenerationRequest;
    const image = makeImage(`full-${body.seed}`, { prompt: body.prompt, seed: body.seed ?? 0 });
    return created(image, 'g-full');
  });
}

/** Answers a draft of whatever was asked for, as draft `d<n>`. */
const echo = (req: RecordedRequest, n: number): MockResponse => {
  const body = req.data as GenerationRequest;
  return {
    status: 201,
    data: {
      draft: makeDraft(`d${n}`, { prompt: body.prompt, seed: body.seed ?? 7, cost_usd: 0.0007 }),
    },
  };
};

async function openLive() {
  const prompt = await screen.findByLabelText('Prompt');
  fireEvent.click(screen.getByRole('switch', { name: 'Live' }));
  return prompt;
}

const draftCalls = (requests: RecordedRequest[]) => requests.filter((r) => r.url === '/drafts');

describe('live mode on the Generate page', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is a real switch, toggled by Space and Enter', async () => {
    server(echo);
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    const live = await screen.findByRole('switch', { name: 'Live' });
    expect(live).toHaveAttribute('aria-checked', 'false');
    expect(live).toHaveAccessibleDescription('Drafts appear as you type, at the fastest settings.');

    live.focus();
    await user.keyboard(' ');
    expect(live).toHaveAttribute('aria-checked', 'true');
    await user.keyboard('{Enter}');
    expect(live).toHaveAttribute('aria-checked', 'false');
  });

  it('typing 60 characters at 8 a second: at most one draft per debounce window, never more than 2 in flight', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sentAt: number[] = [];
    const api = server(async (req, n) => {
      sentAt.push(Date.now());
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      // A slow engine: answers outlive the next keystrokes, and cancelling does not stop it.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      inFlight -= 1;
      return echo(req, n);
    });
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    const prompt = await screen.findByLabelText('Prompt');

    vi.useFakeTimers();
    fireEvent.click(screen.getByRole('switch', { name: 'Live' }));
    const text = 'a lighthouse on a cliff at dusk, oil painting, golden light.';
    expect(text).toHaveLength(60);
    for (let i = 1; i <= text.length; i++) {
      fireEvent.change(prompt, { target: { value: text.slice(0, i) } });
      await act(() => vi.advanceTimersByTimeAsync(125));
    }
    await act(() => vi.advanceTimersByTimeAsync(5000));

    const calls = draftCalls(api.requests);
    expect(calls.length).toBeGreaterThan(1);
    for (let i = 1; i < sentAt.length; i++)
      expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(400);
    expect(mostInFlight).toBeLessThanOrEqual(2);
    expect(inFlight).toBe(0);
    // Each asked for whole words only, and the last one for the whole prompt.
    for (const call of calls)
      expect(text.startsWith((call.data as GenerationRequest).prompt)).toBe(true);
    expect((calls.at(-1)!.data as GenerationRequest).prompt).toBe(text);
  });

  it("drafts at the model's fastest settings with one seed, announces each, refreshes the usage, and stacks them newest first with their diff", async () => {
    const api = server(echo);
    const { client } = renderWithProviders(<GeneratePage />, { route: '/generate' });
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    const prompt = await openLive();

    fireEvent.change(prompt, { target: { value: 'a red fox' } });
    expect(await screen.findAllByTestId('draft', {}, { timeout: 3000 })).toHaveLength(1);
    expect(screen.getByTestId('live-announcer')).toHaveTextContent('Draft ready');
    // The usage meter counts drafts too.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.me });
    fireEvent.change(prompt, { target: { value: 'a red fox in snow' } });
    await waitFor(() => expect(screen.getAllByTestId('draft')).toHaveLength(2), { timeout: 3000 });

    const [first, second] = draftCalls(api.requests).map((r) => r.data as GenerationRequest);
    expect(first).toMatchObject({
      prompt: 'a red fox',
      model: 'offline-preview',
      width: 512,
      height: 512,
      steps: 1,
      n: 1,
      style: 'none',
    });
    expect(second?.seed).toBe(first?.seed);

    const [newest, older] = screen.getAllByTestId('draft');
    expect(within(newest!).getByRole('img')).toHaveAttribute('alt', 'a red fox in snow');
    expect(within(newest!).getByTestId('time-and-cost')).toHaveTextContent('12 ms · $0.0007');
    expect(newest!.querySelector('ins')).toHaveTextContent('added: in snow');
    expect(older!.querySelector('ins')).toBeNull();
  });

  it('keeps a draft in the gallery: the gallery lists and the usage are refreshed, and a toast says so', async () => {
    const api = server(echo);
    const { client } = renderWithProviders(<GeneratePage />, { route: '/generate' });
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    const prompt = await openLive();
    fireEvent.change(prompt, { target: { value: 'a koi pond' } });
    const keep = await screen.findByRole(
      'button',
      { name: 'Keep draft: a koi pond' },
      { timeout: 3000 },
    );
    invalidate.mockClear();

    fireEvent.click(keep);

    expect(await screen.findByText('Draft kept in your gallery')).toBeVisible();
    expect(api.requests.some((r) => r.method === 'POST' && r.url === '/drafts/d1/keep')).toBe(true);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.imageLists });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.me });
    expect(
      screen.getByRole('link', { name: 'Kept: open a koi pond in the gallery' }),
    ).toHaveAttribute('href', '/gallery/kept-d1');
  });

  it("renders a draft at the form's full settings with the draft's seed, and shows the run", async () => {
    const api = server((req, n) => {
      const answer = echo(req, n);
      (answer.data as { draft: { seed: number } }).draft.seed = 4242;
      return answer;
    });
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    const prompt = await openLive();
    fireEvent.change(prompt, { target: { value: 'a koi pond' } });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Full render: a koi pond' }, { timeout: 3000 }),
    );

    await waitFor(() => expect(api.requests.some((r) => r.url === '/generations')).toBe(true));
    const full = api.requests.find((r) => r.url === '/generations')!.data as GenerationRequest;
    expect(full).toMatchObject({
      prompt: 'a koi pond',
      seed: 4242,
      width: 1024,
      height: 1024,
      steps: 4,
      n: 1,
    });
    // The run lands below the drafts: it is brought into view.
    await waitFor(() => expect(scrolled).toHaveLength(1));
    expect(scrolled[0]).toHaveTextContent('a koi pond');
  });

  it('a 429 pauses live mode with the wait; the month’s quota or budget turns it off', async () => {
    server((_req, n) =>
      n === 1
        ? { ...problem(429, 'rate_limited', 'Too many drafts.'), headers: { 'retry-after': '30' } }
        : problem(429, 'budget_exceeded', 'This request would pass your monthly budget.'),
    );
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    const prompt = await openLive();
    fireEvent.change(prompt, { target: { value: 'a koi pond' } });
    expect(
      await screen.findByText(
        "Live is paused. You're going a little fast. Try again in 30 seconds.",
        {},
        { timeout: 3000 },
      ),
    ).toBeVisible();
    expect(screen.getByRole('switch', { name: 'Live' })).toHaveAttribute('aria-checked', 'true');

    // Turned off and on again, the next draft meets the spent budget.
    fireEvent.click(screen.getByRole('switch', { name: 'Live' }));
    fireEvent.click(screen.getByRole('switch', { name: 'Live' }));
    expect(await screen.findByRole('alert', {}, { timeout: 3000 })).toHaveTextContent(
      "Live is off. This month's budget is spent. It starts again next month.",
    );
    expect(screen.getByRole('switch', { name: 'Live' })).toHaveAttribute('aria-checked', 'false');
  });
});
