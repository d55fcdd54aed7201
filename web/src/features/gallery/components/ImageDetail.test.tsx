import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setAuthTokenGetter } from '../../../lib/client';
import { makeImage } from '../../../test/fixtures';
import type { Image } from '../../../types/api';
import {
  mockApi,
  problem,
  Providers,
  renderWithProviders,
  type MockResponse,
} from '../../../test/utils';
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

const detail = (image: Image) => (
  <ImageDetail
    image={image}
    titleId="t"
    onClose={() => {}}
    onMoveToTrash={() => {}}
    onRestore={() => {}}
    refetch={async () => {}}
  />
);

const renderDetail = () => renderWithProviders(detail(makeImage('a1')));

/** A server whose reproduce answer waits until `answer` is called. */
function heldReproduce() {
  let answer: (response: MockResponse) => void = () => {};
  const held = new Promise<MockResponse>((resolve) => {
    answer = resolve;
  });
  const api = mockApi((req) => (req.url.endsWith('/reproduce') ? held : { data: {} }));
  return { api, answer: (response: MockResponse) => answer(response) };
}

const checkButton = () => screen.getByRole('button', { name: 'Check reproducibility' });

describe('Check reproducibility', () => {
  it('says what it costs, shows progress, and then that the image is identical', async () => {
    const { api, answer } = heldReproduce();
    renderDetail();
    expect(checkButton()).toHaveAccessibleDescription(
      /takes a while and counts as one image of this month’s quota/,
    );

    await userEvent.click(checkButton());
    expect(checkButton()).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByText(/Generating the image again to compare/)).toHaveAttribute(
      'role',
      'status',
    );
    const asked = api.requests.find((r) => r.url.endsWith('/reproduce'));
    expect(asked).toMatchObject({ method: 'POST', url: '/images/a1/reproduce', data: {} });

    answer({
      data: { identical: true, difference: 0, sha256_original: 'ab', sha256_reproduced: 'ab' },
    });
    expect(
      await screen.findByText('Identical — the recipe reproduces this image byte for byte'),
    ).toBeInTheDocument();
    expect(checkButton()).not.toHaveAttribute('aria-busy');
    expect(screen.queryByText(/Differs by/)).not.toBeInTheDocument();
  });

  it('says by how much a different picture differs, and why it can', async () => {
    const { answer } = heldReproduce();
    renderDetail();
    await userEvent.click(checkButton());
    answer({
      data: {
        identical: false,
        difference: 0.0342,
        sha256_original: 'ab',
        sha256_reproduced: 'cd',
      },
    });

    expect(await screen.findByText('Differs by 3.4 %')).toBeInTheDocument();
    expect(screen.getByText(/Hosted models may not be deterministic/)).toBeInTheDocument();
    expect(screen.queryByText(/^Identical/)).not.toBeInTheDocument();
  });

  it('shows the server’s words when the quota or rate limit stops it', async () => {
    const { answer } = heldReproduce();
    renderDetail();
    await userEvent.click(checkButton());
    const refusal = problem(429, 'rate_limited', 'Ten images a minute at most.');
    answer({ ...refusal, headers: { ...refusal.headers, 'retry-after': '30' } });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Ten images a minute at most. Try again in 30 seconds.',
    );
  });

  it('explains any other failure as the app does elsewhere', async () => {
    const { answer } = heldReproduce();
    renderDetail();
    await userEvent.click(checkButton());
    answer(problem(503, 'upstream_unavailable', 'Upstream said no.'));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The image engine is busy right now. Please try again shortly.',
    );
    expect(screen.queryByText(/Identical|Differs by/)).not.toBeInTheDocument();
  });

  it('forgets the result when the detail moves to another image', async () => {
    const { answer } = heldReproduce();
    const { rerender, client } = renderDetail();
    await userEvent.click(checkButton());
    answer({
      data: { identical: true, difference: 0, sha256_original: 'ab', sha256_reproduced: 'ab' },
    });
    await screen.findByText(/^Identical/);

    rerender(<Providers client={client}>{detail(makeImage('b2'))}</Providers>);
    expect(checkButton()).toBeInTheDocument();
    expect(screen.queryByText(/^Identical/)).not.toBeInTheDocument();
  });
});
