import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeImage } from '../../../test/fixtures';
import { fakeServer } from '../../../test/fakeServer';
import { renderWithProviders } from '../../../test/utils';
import ComparePage from './Compare';

const images = () => [
  makeImage('a', { prompt: 'a lighthouse at dusk', seed: 7, width: 1024, height: 768 }),
  makeImage('b', { prompt: 'a red lighthouse at night', seed: 8, width: 768, height: 1024 }),
  makeImage('c', { prompt: 'a lighthouse at dusk', seed: 9, width: 1024, height: 1024 }),
];

function renderCompare(ids: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/compare" element={<ComparePage />} />
    </Routes>,
    { route: `/compare?ids=${ids}` },
  );
}

/** Pretends the screen is a phone (≤ 640 px wide) or not. */
function screenWidth(narrow: boolean) {
  vi.stubGlobal(
    'matchMedia',
    (query: string) =>
      ({
        matches: narrow && query.includes('max-width: 640px'),
        media: query,
        addEventListener: () => {},
        removeEventListener: () => {},
      }) as unknown as MediaQueryList,
  );
}

const row = (label: string) =>
  screen.getByRole('rowheader', { name: new RegExp(`^${label}`) }).closest('tr')!;

afterEach(() => vi.unstubAllGlobals());

describe('Comparing images', () => {
  it('shows them side by side at one height, widths from their aspect ratios', async () => {
    fakeServer({ images: images() });
    renderCompare('a,b,c');
    await screen.findByRole('img', { name: 'a red lighthouse at night' });
    const figures = screen.getAllByTestId('compare-figure');
    expect(figures.map((f) => f.style.flex)).toEqual([
      '1.3333333333333333 1 0%',
      '0.75 1 0%',
      '1 1 0%',
    ]);
    expect(figures.map((f) => within(f).getByText(/^Image/).textContent)).toEqual([
      'Image 1',
      'Image 2',
      'Image 3',
    ]);
  });

  it('marks the settings that differ, in words as well as colour', async () => {
    fakeServer({ images: images() });
    renderCompare('a,b,c');
    await screen.findByRole('table', { name: 'Settings of the compared images' });
    const marked = (label: string) => row(label).hasAttribute('data-differs');
    expect(marked('Prompt')).toBe(true);
    expect(marked('Seed')).toBe(true);
    expect(marked('Size')).toBe(true);
    expect(marked('Model')).toBe(false);
    expect(marked('Steps')).toBe(false);
    expect(marked('Style')).toBe(false);
    expect(marked('Negative prompt')).toBe(false);
    expect(within(row('Seed')).getByText('Differs')).toBeVisible();
    expect(within(row('Model')).queryByText('Differs')).toBeNull();
    expect(
      within(row('Size'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['1024 × 768', '768 × 1024', '1024 × 1024']);
  });

  it('marks the words a prompt adds to the first one’s, and those it lacks', async () => {
    fakeServer({ images: images() });
    renderCompare('a,b,c');
    await screen.findByRole('table', { name: 'Settings of the compared images' });
    const [first, second, third] = within(row('Prompt')).getAllByRole('cell');
    expect(first!.querySelectorAll('ins, del')).toHaveLength(0);
    expect([...second!.querySelectorAll('ins')].map((e) => e.textContent)).toEqual([
      'added: red',
      'added: night',
    ]);
    expect([...second!.querySelectorAll('del')].map((e) => e.textContent)).toEqual([
      'removed: dusk',
    ]);
    expect(second).toHaveTextContent('a added: red lighthouse at removed: dusk added: night');
    expect(third!.querySelectorAll('ins, del')).toHaveLength(0);
  });

  it('on a phone shows one image large, picked with the thumbnails or ← and →', async () => {
    screenWidth(true);
    fakeServer({ images: images() });
    const user = userEvent.setup();
    renderCompare('a,b,c');
    await screen.findByRole('img', { name: 'a lighthouse at dusk' });
    expect(screen.getAllByTestId('compare-figure')).toHaveLength(1);
    const thumbs = within(screen.getByRole('group', { name: 'Show image' }));
    expect(thumbs.getByRole('button', { name: 'Image 1' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Setting',
      'Image 1',
    ]);

    await user.click(thumbs.getByRole('button', { name: 'Image 3' }));
    expect(screen.getByText('Image 3 of 3')).toBeVisible();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByText('Image 2 of 3')).toBeVisible();
    expect(screen.getByRole('img', { name: 'a red lighthouse at night' })).toBeVisible();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Setting',
      'Image 2',
    ]);
    // Still marked against all of them.
    expect(row('Seed')).toHaveAttribute('data-differs');
    await act(async () => {
      await user.keyboard('{ArrowRight}{ArrowRight}');
    });
    expect(screen.getByText('Image 3 of 3')).toBeVisible();
  });

  it('says which images could not be found, and compares the rest', async () => {
    fakeServer({ images: images() });
    renderCompare('a,gone,b');
    expect(await screen.findByText('One image couldn’t be found')).toBeVisible();
    expect(await screen.findAllByTestId('compare-figure')).toHaveLength(2);
  });

  it('asks for at least two images, with a way back', async () => {
    fakeServer({ images: images() });
    renderCompare('a,gone');
    expect(await screen.findByText('Not enough images to compare')).toBeVisible();
    expect(screen.getByText('One image couldn’t be found')).toBeVisible();
    expect(screen.getByRole('link', { name: 'Back to the gallery' })).toHaveAttribute(
      'href',
      '/gallery',
    );
  });

  it('asks for two to four images when the address names fewer', async () => {
    fakeServer({ images: images() });
    renderCompare('a');
    expect(await screen.findByText('Pick two to four images to compare')).toBeVisible();
  });
});
