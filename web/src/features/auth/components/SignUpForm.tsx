import { useState } from 'react';
import { useSignUp } from '../api/auth';
import { ApiError, describeError } from '../../../lib/errors';
import {
  PASSWORD_MAX,
  PASSWORD_MIN,
  validateEmail,
  validatePassword,
} from '../../../utils/validation';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { TextField } from '../../../components/ui/Field';
import { preventDefault } from '../../../utils/events';

interface Errors {
  email?: string;
  password?: string;
  display_name?: string;
}

export function SignUpForm({ onSuccess }: { onSuccess: () => void }) {
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const signUp = useSignUp();

  const clientErrors: Errors = submitted
    ? { email: validateEmail(email), password: validatePassword(password) }
    : {};
  const serverError = signUp.error instanceof ApiError ? signUp.error : null;
  const errors: Errors = {
    email: clientErrors.email ?? serverError?.fieldError('email'),
    password: clientErrors.password ?? serverError?.fieldError('password'),
    display_name: serverError?.fieldError('display_name'),
  };

  function submit() {
    setSubmitted(true);
    if (validateEmail(email) || validatePassword(password)) return;
    signUp.mutate(
      {
        email: email.trim(),
        password,
        ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
      },
      { onSuccess },
    );
  }

  return (
    <form onSubmit={preventDefault(submit)} noValidate className="flex flex-col gap-5">
      {signUp.isError && (
        <Alert
          title={
            serverError?.code === 'email_taken'
              ? 'That email is taken'
              : "Couldn't create your account"
          }
        >
          {serverError?.code === 'email_taken'
            ? (serverError.detail ?? 'An account with this email already exists. Try signing in.')
            : describeError(signUp.error)}
        </Alert>
      )}
      <TextField
        label="Name (optional)"
        name="display_name"
        autoComplete="name"
        value={displayName}
        onChange={(e) => setDisplayName(e.target.value)}
        error={errors.display_name}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        maxLength={PASSWORD_MAX + 1}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hint={`${PASSWORD_MIN}–${PASSWORD_MAX} characters.`}
      />
      <Button type="submit" size="lg" busy={signUp.isPending} className="w-full">
        Create account
      </Button>
    </form>
  );
}
