import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeConfig, mockApi, problem, renderWithProviders } from '../../../test/utils';
import GeneratePage from './Generate';

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
    const image = {
      id: 'img1',
      generation_id: 'g1',
      prompt: 'a lighthouse at dusk',
      negative_prompt: null,
      model: 'offline-preview',
      provider: 'offline',
      width: 1024,
      height: 1024,
      steps: 4,
      seed: 7,
      style: 'none',
      created_at: '2026-11-26T08:00:00Z',
      favorite: false,
      content_type: 'image/jpeg',
      bytes: 1000,
      url: '/media/img1.jpg',
      thumbnail_url: '/media/img1.thumb.jpg',
      thumbnail_width: 512,
      thumbnail_height: 512,
      placeholder: '#334455',
    };
    mockApi((req) => {
      if (req.url === '/config') return { data: makeConfig() };
      if (req.url === '/generations') {
        return {
          status: 201,
          data: {
            generation: {
              ...image,
              id: 'g1',
              images: [image],
              timings: { provider_ms: 40, total_ms: 52 },
            },
          },
        };
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
});
