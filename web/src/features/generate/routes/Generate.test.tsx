import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
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
    const image = makeImage('img1', {
      prompt: 'a lighthouse at dusk',
      seed: 7,
      url: '/media/img1.jpg',
      placeholder: '#334455',
    });
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
