/** What a collection's name and description may be, and the server's refusals in words, per field. */
import { ApiError, describeError } from '../../../lib/errors';

export const NAME_MAX = 80;
export const DESCRIPTION_MAX = 500;

export interface CollectionErrors {
  name?: string;
  description?: string;
  /** A failure that belongs to no field (the server is unreachable, say). */
  form?: string;
}

/** The rules the server applies, checked before asking it. */
export function validateCollection(name: string, description = ''): CollectionErrors {
  const errors: CollectionErrors = {};
  const trimmed = name.trim();
  if (!trimmed) errors.name = 'Give the collection a name.';
  else if (trimmed.length > NAME_MAX) errors.name = `Keep the name to ${NAME_MAX} characters.`;
  if (description.trim().length > DESCRIPTION_MAX)
    errors.description = `Keep the description to ${DESCRIPTION_MAX} characters.`;
  return errors;
}

export const hasErrors = (errors: CollectionErrors) =>
  Boolean(errors.name || errors.description || errors.form);

/**
 * The server's answer, on the field it is about: 409 `name_taken` on the
 * name, 422 on whichever field it names (the name when it names none).
 */
export function collectionErrors(error: unknown, name: string): CollectionErrors {
  const err = error instanceof ApiError ? error : undefined;
  if (err?.code === 'name_taken') {
    return { name: `You already have a collection called “${name.trim()}”.` };
  }
  if (err && err.status === 422) {
    const onName = err.fieldError('name');
    const onDescription = err.fieldError('description');
    if (onName || onDescription) return { name: onName, description: onDescription };
    return { name: err.detail ?? err.title };
  }
  return { form: describeError(error) };
}
