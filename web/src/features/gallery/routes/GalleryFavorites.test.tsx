import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { mockApi, problem, renderWithProviders, type MockResponse } from '../../../test/utils';
import GalleryPage from './Gallery';

/** A promise the test settles by hand. */
function deferred() {
  let resolve!: (value: MockResponse) => void;
  const promise = new Promise<MockResponse>((r) => (resolve = r));
  return { promise, resolve };
}

/** The gallery holds image "a"; every favourite change waits for the test to answer it. */
function heldFavoriteChanges() {
  const answers: ReturnType<typeof deferred>[] = [];
  const api = mockApi((req) => {
    if (req.method === 'PATCH') {
      const answer = deferred();
      answers.push(answer);
      return answer.promise;
    }
    return { data: { items: [makeImage('a')], next_cursor: null } };
  });
  return { api, answers };
}

function heartOf(prompt: string) {
  const tile = screen.getByRole('img', { name: prompt }).closest('li')!;
  return within(tile).getByRole('button', { name: 'Favourite' });
}

describe('Favourite toggles in the gallery', () => {
  it('sends one change at a time for an image', async () => {
    const { api, answers } = heldFavoriteChanges();
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    await screen.findByRole('img', { name: 'prompt a' });

    await userEvent.click(heartOf('prompt a'));
    await userEvent.click(heartOf('prompt a'));
    expect(heartOf('prompt a')).toHaveAttribute('aria-pressed', 'false');
    const patches = () => api.requests.filter((r) => r.method === 'PATCH');
    await waitFor(() => expect(patches()).toHaveLength(1));

    answers[0]!.resolve({ data: makeImage('a', { favorite: true }) });
    await waitFor(() => expect(patches()).toHaveLength(2));
    expect(patches().map((r) => r.data)).toEqual([{ favorite: true }, { favorite: false }]);
    // The first answer does not undo the second click.
    expect(heartOf('prompt a')).toHaveAttribute('aria-pressed', 'false');
    answers[1]!.resolve({ data: makeImage('a', { favorite: false }) });
    await waitFor(() => expect(answers).toHaveLength(2));
    expect(heartOf('prompt a')).toHaveAttribute('aria-pressed', 'false');
  });

  it('goes back to what the server last confirmed when toggles fail', async () => {
    const { answers } = heldFavoriteChanges();
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    await screen.findByRole('img', { name: 'prompt a' });

    await userEvent.click(heartOf('prompt a'));
    await userEvent.click(heartOf('prompt a'));
    await waitFor(() => expect(answers).toHaveLength(1));
    answers[0]!.resolve(problem(500, 'server_error', 'No.'));
    await waitFor(() => expect(answers).toHaveLength(2));
    answers[1]!.resolve(problem(500, 'server_error', 'No.'));

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heartOf('prompt a')).toHaveAttribute('aria-pressed', 'false');
  });

  it('does not cancel a page that is loading', async () => {
    const page2 = deferred();
    mockApi((req) => {
      if (req.method === 'PATCH') return { data: makeImage('a', { favorite: true }) };
      if (req.params.cursor === 'page-2') return page2.promise;
      return { data: { items: [makeImage('a')], next_cursor: 'page-2' } };
    });
    renderWithProviders(<GalleryPage />, { route: '/gallery' });
    await screen.findByRole('img', { name: 'prompt a' });
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await userEvent.click(heartOf('prompt a'));

    page2.resolve({ data: { items: [makeImage('c')], next_cursor: null } });
    expect(await screen.findByRole('img', { name: 'prompt c' })).toBeInTheDocument();
    expect(heartOf('prompt a')).toHaveAttribute('aria-pressed', 'true');
  });
});
