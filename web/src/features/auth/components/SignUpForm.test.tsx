import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockApi, problem, renderWithProviders, testMe } from '../../../test/utils';
import { SignUpForm } from './SignUpForm';

function fill(email: string, password: string) {
  const user = userEvent.setup();
  return (async () => {
    if (email) await user.type(screen.getByLabelText('Email'), email);
    if (password) await user.type(screen.getByLabelText('Password'), password);
    await user.click(screen.getByRole('button', { name: 'Create account' }));
  })();
}

describe('SignUpForm', () => {
  it('asks for an email and a password when both are missing', async () => {
    const api = mockApi(() => ({ status: 500 }));
    renderWithProviders(<SignUpForm onSuccess={vi.fn()} />);
    await fill('', '');
    expect(screen.getByText('Enter your email address.')).toBeInTheDocument();
    expect(screen.getByText('Enter a password.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(api.requests).toHaveLength(0);
  });

  it('rejects a malformed email and a too-short password without calling the server', async () => {
    const api = mockApi(() => ({ status: 500 }));
    renderWithProviders(<SignUpForm onSuccess={vi.fn()} />);
    await fill('ada@nowhere', 'short');
    expect(screen.getByText(/enter a valid email address/i)).toBeInTheDocument();
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument();
    expect(api.requests).toHaveLength(0);
  });

  it('rejects a password longer than 128 characters', async () => {
    mockApi(() => ({ status: 500 }));
    renderWithProviders(<SignUpForm onSuccess={vi.fn()} />);
    await fill('ada@example.com', 'x'.repeat(129));
    expect(screen.getByText('Use at most 128 characters.')).toBeInTheDocument();
  });

  it("shows the server's detail when the email is taken", async () => {
    const api = mockApi(() =>
      problem(409, 'email_taken', 'An account with this email already exists.'),
    );
    const onSuccess = vi.fn();
    renderWithProviders(<SignUpForm onSuccess={onSuccess} />);
    await fill('ada@example.com', 'correct horse battery');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'An account with this email already exists.',
    );
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      url: '/auth/signup',
      data: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    expect(api.requests[0]?.headers['Content-Type']).toBe('application/json');
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it('puts server field errors next to their field', async () => {
    mockApi(() =>
      problem(422, 'invalid_request', 'Some fields are invalid.', {
        errors: [{ field: 'password', message: 'Password is too common.' }],
      }),
    );
    renderWithProviders(<SignUpForm onSuccess={vi.fn()} />);
    await fill('ada@example.com', 'password123');
    expect(await screen.findByText('Password is too common.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
  });

  it('signs up, loads the new session and reports success', async () => {
    const user = { id: 'u1', email: 'ada@example.com', display_name: null, created_at: '' };
    const api = mockApi((req) =>
      req.url === '/auth/signup'
        ? { status: 201, data: { user } }
        : {
            data: {
              user,
              usage: testMe.usage,
            },
          },
    );
    const onSuccess = vi.fn();
    renderWithProviders(<SignUpForm onSuccess={onSuccess} />);
    await fill('ada@example.com', 'correct horse battery');
    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(api.requests.map((r) => r.url)).toEqual(['/auth/signup', '/me']);
  });
});
