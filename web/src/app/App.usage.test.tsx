import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { fakeServer } from '../test/fakeServer';
import { makeImage } from '../test/fixtures';
import { testMe, testQueryClient } from '../test/utils';

describe("the header's usage meter", () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('moves right after a generation, without a reload', async () => {
    let made = 0;
    fakeServer({
      answer: (req) => {
        if (req.url === '/me')
          return { data: { ...testMe, usage: { ...testMe.usage, generations_this_month: made } } };
        if (req.url === '/generations' && req.method === 'POST') {
          made += 1;
          const image = makeImage('new', { prompt: 'a koi pond', generation_id: 'g-new' });
          return {
            status: 201,
            data: {
              generation: {
                ...image,
                id: 'g-new',
                images: [image],
                timings: { provider_ms: 9, total_ms: 12 },
              },
            },
          };
        }
        return undefined;
      },
    });
    window.history.replaceState(null, '', '/generate');
    render(<App queryClient={testQueryClient()} />);

    await waitFor(() =>
      expect(screen.getAllByTestId('usage-meter')[0]).toHaveTextContent('0 / 500'),
    );
    await userEvent.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));

    await waitFor(() =>
      expect(screen.getAllByTestId('usage-meter')[0]).toHaveTextContent('1 / 500'),
    );
  });
});
