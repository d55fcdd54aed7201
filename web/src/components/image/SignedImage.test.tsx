import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/utils';
import { SignedImage } from './SignedImage';

/** An image whose data can be refetched: each refetch signs a new URL. */
function Harness({ onRefetch }: { onRefetch: () => void }) {
  const [version, setVersion] = useState(1);
  return (
    <SignedImage
      src={`/api/media/a.jpg?exp=${version}`}
      alt="a koi pond"
      width={1024}
      height={768}
      refetch={async () => {
        onRefetch();
        setVersion((v) => v + 1);
      }}
    />
  );
}

describe('SignedImage', () => {
  it('refetches once when the image fails, then offers Retry instead of a broken image', async () => {
    let refetches = 0;
    renderWithProviders(<Harness onRefetch={() => (refetches += 1)} />);
    fireEvent.error(screen.getByRole('img', { name: 'a koi pond' }));

    // Fresh data, a fresh URL, tried again.
    const again = await screen.findByRole('img', { name: 'a koi pond' });
    expect(refetches).toBe(1);
    expect(again).toHaveAttribute('src', '/api/media/a.jpg?exp=2');

    fireEvent.error(again);
    const retry = await screen.findByRole('button', { name: 'Retry loading the image' });
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(refetches).toBe(1);

    await userEvent.click(retry);
    const third = await screen.findByRole('img', { name: 'a koi pond' });
    expect(third).toHaveAttribute('src', '/api/media/a.jpg?exp=3');
    expect(refetches).toBe(2);

    // Once an image has loaded, a later failure gets its refetch again.
    fireEvent.load(third);
    fireEvent.error(third);
    await waitFor(() => expect(refetches).toBe(3));
    expect(await screen.findByRole('img', { name: 'a koi pond' })).toHaveAttribute(
      'src',
      '/api/media/a.jpg?exp=4',
    );
  });
});
