import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAuthTokenGetter } from '../../../lib/client';
import { makeImage } from '../../../test/fixtures';
import { mockApi, renderWithProviders } from '../../../test/utils';
import { ImageDetail } from './ImageDetail';

describe('Image detail', () => {
  afterEach(() => {
    setAuthTokenGetter(null);
    vi.restoreAllMocks();
  });

  it('downloads through the API client, token included, and saves the file', async () => {
    const api = mockApi(() => ({
      data: new Blob(['jpeg bytes'], { type: 'image/jpeg' }),
      headers: {
        'content-type': 'image/jpeg',
        'content-disposition': 'attachment; filename="lighthouse_a1.jpg"',
      },
    }));
    setAuthTokenGetter(async () => 'bearer-token');
    const createObjectURL = vi.fn(() => 'blob:saved');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const saved: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push({ href: this.href, download: this.download });
    });

    renderWithProviders(
      <ImageDetail
        image={makeImage('a1')}
        titleId="t"
        onClose={() => {}}
        onMoveToTrash={() => {}}
        onRestore={() => {}}
        refetch={async () => {}}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Download' }));

    await waitFor(() =>
      expect(saved).toEqual([{ href: 'blob:saved', download: 'lighthouse_a1.jpg' }]),
    );
    expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/images/a1/download' });
    expect(api.requests[0]?.headers.Authorization).toBe('Bearer bearer-token');
    await waitFor(() => expect(revokeObjectURL).toHaveBeenCalledWith('blob:saved'), {
      timeout: 2000,
    });
  });
});
