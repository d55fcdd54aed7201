import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuthState } from '../../features/auth/AuthContext';
import { fakeServer } from '../../test/fakeServer';
import { makeApiKey } from '../../test/fixtures';
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
});
