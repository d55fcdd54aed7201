import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import GalleryPage from '../../features/gallery/routes/Gallery';
import GeneratePage from '../../features/generate/routes/Generate';
import { makeImage } from '../../test/fixtures';
import { fakeServer } from '../../test/fakeServer';
import { renderWithProviders, testMe } from '../../test/utils';
import type { GenerationRequest, Image } from '../../types/api';

/** A server that keeps what it generates, so the gallery lists it. */
function generatingServer() {
  const images: Image[] = [];
  const server = fakeServer({
    images,
    answer: (req) => {
      if (req.url !== '/generations') return undefined;
      const { seed } = req.data as GenerationRequest;
      const image = makeImage(`img-${seed}`, {
        generation_id: `g-${seed}`,
        prompt: 'a koi pond',
        created_at: new Date().toISOString(),
      });
      images.unshift(image);
      return {
        status: 201,
        data: {
          generation: { ...image, id: image.generation_id, images: [image], timings: {} },
        },
      };
    },
  });
  return server;
}

function renderApp() {
  const view = renderWithProviders(
    <>
      <nav>
        <Link to="/generate">Generate</Link>
        <Link to="/gallery">Gallery</Link>
      </nav>
      <Routes>
        <Route path="/generate" element={<GeneratePage />} />
        <Route path="/gallery" element={<GalleryPage />} />
      </Routes>
    </>,
    { route: '/generate' },
  );
  view.client.setQueryData(['me'], testMe);
  return view;
}

describe('The Generate page after images go to the trash', () => {
  it('no longer shows them in its runs, and shows them again after Undo', async () => {
    generatingServer();
    const user = userEvent.setup();
    renderApp();
    await user.type(await screen.findByLabelText('Prompt'), 'a koi pond');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('img', { name: 'a koi pond' });

    await user.click(screen.getByRole('link', { name: 'Gallery' }));
    await user.click(await screen.findByRole('button', { name: 'Move to trash' }));
    const undo = await screen.findByRole('button', { name: 'Undo' });

    await user.click(screen.getByRole('link', { name: 'Generate' }));
    await screen.findByLabelText('Prompt');
    expect(screen.queryByRole('img', { name: 'a koi pond' })).not.toBeInTheDocument();

    await user.click(undo);
    expect(await screen.findByRole('img', { name: 'a koi pond' })).toBeVisible();
  });
});
