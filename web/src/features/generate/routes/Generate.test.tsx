import { act, screen, waitFor, within } from '@testing-library/react';
import { AxiosError } from 'axios';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import {
  makeConfig,
  mockApi,
  problem,
  renderWithProviders,
  testQueryClient,
} from '../../../test/utils';
import type { Image } from '../../../types/api';
import GeneratePage from './Generate';

const emptyGallery = { data: { items: [], next_cursor: null } };

/** The server's 201 answer for a generation of these images. */
function created(images: Image[], id = images[0]!.generation_id) {
  return {
    status: 201,
    data: {
      generation: {
        ...images[0]!,
        id,
        images,
        timings: { provider_ms: 40, total_ms: 52 },
      },
    },
  };
}

/** A server whose every image is "a koi pond". */
function serverThatPaintsKoi() {
  return mockApi((req) => {
    if (req.url === '/config') return { data: makeConfig() };
    if (req.url === '/images') return emptyGallery;
    const { seed } = req.data as { seed: number };
    return created([
      makeImage(`img-${seed}`, { generation_id: `g-${seed}`, prompt: 'a koi pond' }),
    ]);
  });
}

describe('Generate page', () => {
  it('shows a 429 inline with the wait time and keeps the prompt', async () => {
    const api = mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/images') return emptyGallery;
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
    expect(post?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}\.0$/);
    expect(post?.headers['Generation-Group']).toBe(
      String(post?.headers['Idempotency-Key']).replace(/\.0$/, ''),
    );
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
      if (req.url === '/images') return emptyGallery;
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

  it('a double click on Generate starts one run, not two', async () => {
    const { requests } = serverThatPaintsKoi();
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await user.dblClick(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('img', { name: 'a koi pond' });
    expect(requests.filter((r) => r.url === '/generations')).toHaveLength(1);
  });

  it('"Try again" after a timeout sends the same Idempotency-Key; after an answer, a new one', async () => {
    const image = makeImage('img1', { prompt: 'a lighthouse at dusk' });
    let posts = 0;
    const api = mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/images') return emptyGallery;
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

  it('shows each image as soon as it is ready and lets a second run start meanwhile', async () => {
    const held: { seed: number; finish: () => void }[] = [];
    const api = mockApi(async (req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/images') return emptyGallery;
      const { seed, prompt } = req.data as { seed: number; prompt: string };
      await new Promise<void>((finish) => held.push({ seed, finish }));
      return created([
        makeImage(`${prompt}-${seed}`, {
          generation_id: `${prompt}-${seed}`,
          prompt: `${prompt} ${seed}`,
          seed,
        }),
      ]);
    });
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a lighthouse');
    await user.click(screen.getByRole('radio', { name: '2 images' }));
    await user.click(screen.getByRole('radio', { name: '4:3 (1024 × 768)' }));
    await user.click(screen.getByRole('button', { name: 'Lock seed' }));
    await user.clear(screen.getByLabelText('Seed'));
    await user.type(screen.getByLabelText('Seed'), '42');
    const generate = screen.getByRole('button', { name: 'Generate 2 images' });
    await user.click(generate);

    // One request per image, seeds as one request for both would give them.
    await waitFor(() => expect(held).toHaveLength(2));
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.data)).toEqual([
      expect.objectContaining({ prompt: 'a lighthouse', n: 1, seed: 42, width: 1024 }),
      expect.objectContaining({ prompt: 'a lighthouse', n: 1, seed: 43, width: 1024 }),
    ]);
    const run = String(posts[0]!.headers['Generation-Group']);
    expect(posts.map((r) => r.headers['Idempotency-Key'])).toEqual([`${run}.0`, `${run}.1`]);
    expect(posts[1]!.headers['Generation-Group']).toBe(run);
    // Placeholders of the requested shape until then.
    const placeholders = screen.getAllByTestId('pending-image');
    expect(placeholders).toHaveLength(2);
    expect(placeholders[0]).toHaveStyle({ aspectRatio: '1024 / 768' });

    held.find((h) => h.seed === 43)!.finish();
    expect(await screen.findByRole('img', { name: 'a lighthouse 43' })).toBeInTheDocument();
    expect(screen.getAllByTestId('pending-image')).toHaveLength(1);
    expect(screen.getByRole('heading', { name: '1 of 2 images ready' })).toBeInTheDocument();

    // Generate is still usable: a second run gets its own card.
    expect(generate).not.toHaveAttribute('aria-disabled');
    await user.type(screen.getByLabelText('Prompt'), ' at dusk');
    await user.click(generate);
    await waitFor(() => expect(held).toHaveLength(4));
    expect(screen.getAllByTestId('run')).toHaveLength(2);

    const announcer = screen.getByTestId('generate-announcer');
    expect(announcer).toHaveAttribute('aria-live', 'polite');
    expect(announcer).toHaveTextContent('');
    held.find((h) => h.seed === 42)!.finish();
    await waitFor(() => expect(announcer).toHaveTextContent('2 images ready'));
    for (const h of held.slice(2)) h.finish();
    expect(await screen.findByRole('img', { name: 'a lighthouse at dusk 43' })).toBeInTheDocument();
    expect(await screen.findByRole('img', { name: 'a lighthouse at dusk 42' })).toBeInTheDocument();
    expect(screen.getAllByRole('img', { name: /^a lighthouse / })).toHaveLength(4);
    // Only the announcement is live: the results are not re-read as they render.
    expect(screen.getAllByTestId('result-image')[0]!.closest('[aria-live]')).toBeNull();
  });

  it('shows a 429 on the image it hit while the other image of the run lands', async () => {
    let posts = 0;
    const api = mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/images') return emptyGallery;
      posts += 1;
      const { seed } = req.data as { seed: number };
      if (posts === 2) {
        return { ...problem(429, 'rate_limited', 'Slow down.'), headers: { 'retry-after': '9' } };
      }
      return created([
        makeImage(`img-${seed}`, { generation_id: `g-${seed}`, prompt: `koi ${seed}`, seed }),
      ]);
    });
    const user = userEvent.setup();
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'koi');
    await user.click(screen.getByRole('radio', { name: '2 images' }));
    await user.click(screen.getByRole('button', { name: 'Generate 2 images' }));

    expect(await screen.findByTestId('failed-image')).toHaveTextContent(
      "You're going a little fast. Try again in 9 seconds.",
    );
    expect(screen.getAllByTestId('result-image')).toHaveLength(1);
    expect(screen.getByRole('alert')).toHaveTextContent('1 of 2 images failed');

    // Only the failed image is asked for again, with a new key after that definite answer.
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(screen.getAllByTestId('result-image')).toHaveLength(2));
    const sent = api.requests.filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(3);
    expect(sent[2]!.data).toEqual(sent[1]!.data);
    expect(sent[2]!.headers['Idempotency-Key']).not.toBe(sent[1]!.headers['Idempotency-Key']);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps a run going and listed while the person is on another page', async () => {
    let finish!: () => void;
    mockApi(async (req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/images') return emptyGallery;
      await new Promise<void>((resolve) => (finish = resolve));
      return created([makeImage('img1', { prompt: 'a koi pond' })]);
    });
    const user = userEvent.setup();
    const client = testQueryClient();
    const first = renderWithProviders(<GeneratePage />, { route: '/generate', client });
    await user.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByTestId('pending-image');
    first.unmount();
    await act(async () => finish());

    renderWithProviders(<GeneratePage />, { route: '/generate', client });
    expect(await screen.findByRole('img', { name: 'a koi pond' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Your image' })).toBeInTheDocument();
  });

  it('after a reload, rebuilds the last runs from the gallery, one card per run', async () => {
    // Two images of one run (sent as two requests), then an older single image.
    const pair = [
      makeImage('img3', { generation_id: 'g3', prompt: 'twin foxes', seed: 8 }),
      makeImage('img2', { generation_id: 'g2', prompt: 'twin foxes', seed: 7 }),
    ];
    const older = makeImage('img1', { generation_id: 'g1', prompt: 'a koi pond' });
    let generated = false;
    mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/images') {
        return { data: { items: generated ? [...pair, older] : [older], next_cursor: null } };
      }
      const { seed } = req.data as { seed: number };
      generated = true;
      return created([pair.find((i) => i.seed === seed)!]);
    });
    const user = userEvent.setup();
    const first = renderWithProviders(<GeneratePage />, { route: '/generate' });
    expect(await screen.findByRole('img', { name: 'a koi pond' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Prompt'), 'twin foxes');
    await user.click(screen.getByRole('radio', { name: '2 images' }));
    await user.click(screen.getByRole('button', { name: 'Lock seed' }));
    await user.clear(screen.getByLabelText('Seed'));
    await user.type(screen.getByLabelText('Seed'), '7');
    await user.click(screen.getByRole('button', { name: 'Generate 2 images' }));
    await waitFor(() => expect(screen.getAllByRole('img', { name: 'twin foxes' })).toHaveLength(2));
    first.unmount();

    // A new query client: nothing survives but what the server and the browser keep.
    renderWithProviders(<GeneratePage />, { route: '/generate' });
    await waitFor(() => expect(screen.getAllByRole('img', { name: 'twin foxes' })).toHaveLength(2));
    const runs = screen.getAllByTestId('run');
    expect(runs).toHaveLength(2);
    expect(within(runs[0]!).getAllByRole('img')).toHaveLength(2);
    expect(within(runs[1]!).getByRole('img', { name: 'a koi pond' })).toBeInTheDocument();
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
    await screen.findAllByRole('img', { name: 'a koi pond' });
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
    const { client, unmount } = renderWithProviders(<GeneratePage />, { route: '/generate' });
    await user.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const result = await screen.findByRole('img', { name: 'a koi pond' });

    await waitFor(() => expect(scrolled).toHaveLength(1));
    expect(scrolled[0]).toContainElement(result);

    // Coming back to the page later does not jump to the results again.
    unmount();
    renderWithProviders(<GeneratePage />, { route: '/generate', client });
    await screen.findByRole('img', { name: 'a koi pond' });
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(scrolled).toHaveLength(1);
  });
});
