/**
 * The new-key form's state: the name and expiry, the rules the server
 * applies (checked before asking it), and its refusals in words.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../lib/errors';
import type { NewApiKey } from '../../../types/api';
import { useCreateApiKey } from '../api/keys';

export const KEY_NAME_MAX = 80;

/** How long a new key may live; `null`: until it is revoked. */
export const EXPIRY_CHOICES: Array<{ days: number | null; label: string }> = [
  { days: null, label: 'Never' },
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
];

export interface KeyFormErrors {
  name?: string;
  /** A refusal that belongs to no field: too many keys, the server unreachable. */
  form?: string;
}

export function validateKeyName(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed) return 'Give the key a name, so you know later what uses it.';
  if (trimmed.length > KEY_NAME_MAX) return `Keep the name to ${KEY_NAME_MAX} characters.`;
  return undefined;
}

/**
 * The server's refusal: on the name when it names the name, else for the
 * whole form, in the server's own words for a 422 (20 live keys already).
 */
export function keyFormErrors(error: unknown): KeyFormErrors {
  if (error instanceof ApiError && error.status === 422) {
    const onName = error.fieldError('name');
    return onName ? { name: onName } : { form: error.detail ?? error.title };
  }
  return { form: describeError(error) };
}

/** `onCreated` receives the new key with its secret; the form then starts afresh. */
export function useNewKeyForm(onCreated: (created: NewApiKey) => void) {
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | null>(null);
  const [errors, setErrors] = useState<KeyFormErrors>({});
  const [busy, setBusy] = useState(false);

  /** Resolves to the errors found (none when the key was made). */
  async function submit(event: FormEvent): Promise<KeyFormErrors> {
    event.preventDefault();
    if (busy) return {};
    const invalid = validateKeyName(name);
    if (invalid) {
      setErrors({ name: invalid });
      return { name: invalid };
    }
    setErrors({});
    setBusy(true);
    try {
      // No expiry is said by leaving it out.
      const created = await create(
        days == null ? { name: name.trim() } : { name: name.trim(), expires_in_days: days },
      );
      setName('');
      setDays(null);
      setBusy(false);
      onCreated(created);
      return {};
    } catch (error) {
      const refused = keyFormErrors(error);
      setErrors(refused);
      setBusy(false);
      return refused;
    }
  }

  return { name, setName, days, setDays, errors, busy, submit };
}
