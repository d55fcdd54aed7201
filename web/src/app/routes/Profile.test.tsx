import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuthState } from '../../features/auth/AuthContext';
import { fakeServer, makeCollection } from '../../test/fakeServer';
import { makeApiKey, makeShare } from '../../test/fixtures';
import { renderWithProviders, testMe } from '../../test/utils';
import ProfileRoute from './Profile';

const clerkSignedIn: AuthState = {
  mode: 'clerk',
  status: 'signed-in',
  ...testMe,
  signOut: async () => {},
  views: {
    SignIn: () => null,
    SignUp: () => null,
    UserProfile: () => <div>Clerk user profile</div>,
    UserButton: () => null,
  },
};

describe('Profile page', () => {
  it('has the API keys below the usage', async () => {
    fakeServer({ keys: [makeApiKey('k1', { name: 'Laptop' })] });
    renderWithProviders(<ProfileRoute />, { route: '/profile' });
    const keys = await screen.findByRole('region', { name: 'API keys' });
    expect(await within(keys).findByRole('button', { name: 'Revoke Laptop' })).toBeInTheDocument();
    expect(within(keys).getByRole('button', { name: 'Create key' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Usage' })).toBeInTheDocument();
  });

  it('has them in Clerk sign-in mode too, beside Clerk’s own account screens', async () => {
    fakeServer({ keys: [makeApiKey('k1', { name: 'Laptop' })] });
    renderWithProviders(<ProfileRoute />, { route: '/profile', auth: clerkSignedIn });
    const keys = await screen.findByRole('region', { name: 'API keys' });
    expect(await within(keys).findByRole('button', { name: 'Revoke Laptop' })).toBeInTheDocument();
    expect(screen.getByText('Clerk user profile')).toBeInTheDocument();
  });

  it('has the shared links below the API keys, naming the collections they show', async () => {
    fakeServer({
      collections: [makeCollection('trips', { name: 'Trips' })],
      shares: [makeShare('a'), makeShare('trips', { kind: 'collection' })],
    });
    renderWithProviders(<ProfileRoute />, { route: '/profile' });
    const links = await screen.findByRole('region', { name: 'Shared links' });
    expect(await within(links).findByRole('link', { name: 'Collection “Trips”' })).toHaveAttribute(
      'href',
      '/collections/trips',
    );
    expect(within(links).getByRole('link', { name: 'Image' })).toHaveAttribute(
      'href',
      '/gallery/a',
    );
    const keys = screen.getByRole('region', { name: 'API keys' });
    expect(keys.compareDocumentPosition(links) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
