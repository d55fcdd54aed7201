/** A safe in-app path from `?next=`, never an absolute or protocol-relative URL. */
export function safeNext(value: string | null, fallback = '/generate'): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  return value;
}
