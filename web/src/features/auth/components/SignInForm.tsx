import { useState } from 'react';
import { useLogIn } from '../api/auth';
import { ApiError, describeError } from '../../../lib/errors';
import { validateEmail } from '../../../utils/validation';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { TextField } from '../../../components/ui/Field';
import { preventDefault } from '../../../utils/events';

export function SignInForm({ onSuccess }: { onSuccess: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const logIn = useLogIn();

  const emailError = submitted ? validateEmail(email) : undefined;
  const passwordError = submitted && !password ? 'Enter your password.' : undefined;
  const serverError = logIn.error instanceof ApiError ? logIn.error : null;

  function submit() {
    setSubmitted(true);
    if (validateEmail(email) || !password) return;
    logIn.mutate({ email: email.trim(), password }, { onSuccess });
  }

  return (
    <form onSubmit={preventDefault(submit)} noValidate className="flex flex-col gap-5">
      {logIn.isError && (
        <Alert title="Couldn't sign you in">
          {serverError?.code === 'invalid_credentials'
            ? (serverError.detail ?? 'That email and password do not match.')
            : describeError(logIn.error)}
        </Alert>
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={emailError ?? serverError?.fieldError('email')}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={passwordError ?? serverError?.fieldError('password')}
      />
      <Button type="submit" size="lg" busy={logIn.isPending} className="w-full">
        Sign in
      </Button>
    </form>
  );
}
