import { screen, waitFor } from '@testing-library/react';
import { AxiosError } from 'axios';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { makeConfig, mockApi, problem, renderWithProviders } from '../../../test/utils';
import type { Image } from '../../../types/api';
import GeneratePage from './Generate';

/** The server's 201 answer for a generation of these images. */
function created(images: Image[]) {
  return {
    status: 201,
    data: {
      generation: {
        ...images[0]!,
        id: 'g1',
        images,
        timings: { provider_ms: 40, total_ms: 52 },
      },
    },
  };
}

/** A server whose every generation is one image of "a koi pond". */
function serverThatPaintsKoi() {
  const image = makeImage('img1', { prompt: 'a koi pond' });
  return mockApi((req) => {
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/generations') return created([image]);
    return { data: image };
  });
}

describe('Generate page', () => {
  it('shows a 429 inline with the wait time and keeps the prompt', async () => {
    const api = mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      return {
        ...problem(429, 'rate_limited', 'Too many generations.'),
        headers: { 'retry-after': '42' },
      };
    });
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    const prompt = await screen.findByLabelText('Prompt');
    await user.type(prompt, 'a lighthouse at dusk');
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "You're going a little fast. Try again in 42 seconds.",
    );
    expect(screen.getByLabelText('Prompt')).toHaveValue('a lighthouse at dusk');
    const post = api.requests.find((r) => r.method === 'POST');
    expect(post?.url).toBe('/generations');
    expect(post?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the generated images with their engine badge', async () => {
    const image = makeImage('img1', {
      prompt: 'a lighthouse at dusk',
      seed: 7,
      url: '/media/img1.jpg',
      placeholder: '#334455',
    });
    mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/generations') {
        return created([image]);
      }
      return { data: image };
    });
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a lighthouse at dusk');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const img = await screen.findByRole('img', { name: 'a lighthouse at dusk' });
    expect(img).toHaveAttribute('src', '/media/img1.jpg');
    expect(screen.getAllByText('Offline preview engine').length).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Generate again with a new seed' })).toBeEnabled();
  });

  it('"Try again" after a timeout sends the same Idempotency-Key; after an answer, a new one', async () => {
    const image = makeImage('img1', { prompt: 'a lighthouse at dusk' });
    let posts = 0;
    const api = mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url !== '/generations') return { data: image };
      posts += 1;
      // The first attempt and its automatic retry time out: the outcome is unknown.
      if (posts <= 2) throw new AxiosError('timeout of 180000ms exceeded', 'ECONNABORTED');
      if (posts === 3) return problem(503, 'upstream_unavailable', 'Busy.');
      return created([image]);
    });
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a lighthouse at dusk');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await user.click(await screen.findByRole('button', { name: 'Try again' }, { timeout: 4000 }));
    await user.click(await screen.findByRole('button', { name: 'Try again' }));
    await screen.findByRole('img', { name: 'a lighthouse at dusk' });

    const keys = api.requests
      .filter((r) => r.method === 'POST')
      .map((r) => r.headers['Idempotency-Key']);
    expect(keys).toHaveLength(4);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('keeps focus on the busy Generate button and announces the finished images', async () => {
    const images = [makeImage('img1'), makeImage('img2')];
    let finish!: () => void;
    const api = mockApi(async (req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url !== '/generations') return { data: images[0] };
      await new Promise<void>((resolve) => (finish = resolve));
      return created(images);
    });
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a lighthouse at dusk');
    await user.click(screen.getByRole('radio', { name: '2 images' }));
    const button = screen.getByRole('button', { name: 'Generate 2 images' });
    button.focus();
    await user.keyboard('{Enter}');

    const busy = await screen.findByRole('button', { name: 'Generating…' });
    expect(busy).toBe(button);
    expect(busy).toHaveFocus();
    expect(busy).toBeEnabled();
    expect(busy).toHaveAttribute('aria-disabled', 'true');
    await user.keyboard('{Enter}');
    await user.click(busy);
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    const announcer = screen.getByTestId('generate-announcer');
    expect(announcer).toHaveAttribute('aria-live', 'polite');
    finish();
    await waitFor(() => expect(announcer).toHaveTextContent('2 images ready'));
    // Only the announcement is live: the results are not re-read as they render.
    expect(screen.getAllByTestId('result-image')[0]!.closest('[aria-live]')).toBeNull();
  });

  it('keeps the draft and settings of this tab across a reload until it is generated', async () => {
    serverThatPaintsKoi();
    const user = userEvent.setup();
    const first = renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await user.click(screen.getByRole('radio', { name: '3 images' }));
    await user.click(screen.getByRole('radio', { name: '4:3 (1024 × 768)' }));
    first.unmount();

    const second = renderWithProviders(<GeneratePage />, { route: '/generate' });
    expect(await screen.findByLabelText('Prompt')).toHaveValue('a koi pond');
    expect(screen.getByRole('radio', { name: '3 images' })).toBeChecked();
    expect(screen.getByRole('radio', { name: '4:3 (1024 × 768)' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Generate 3 images' }));
    await screen.findByRole('img', { name: 'a koi pond' });
    second.unmount();

    renderWithProviders(<GeneratePage />, { route: '/generate' });
    expect(await screen.findByLabelText('Prompt')).toHaveValue('');
  });

  it('on a narrow screen, scrolls the first result into view once it is ready', async () => {
    serverThatPaintsKoi();
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    window.matchMedia = ((query: string) => ({
      matches: query.includes('max-width'),
      media: query,
    })) as unknown as typeof window.matchMedia;
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const result = await screen.findByRole('img', { name: 'a koi pond' });

    await waitFor(() => expect(scrolled).toHaveLength(1));
    expect(scrolled[0]).toContainElement(result);
  });
});
