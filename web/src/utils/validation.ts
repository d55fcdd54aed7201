export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// Deliberately simple: one @, something before it, a dot in the domain, no spaces.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(value: string): string | undefined {
  const email = value.trim();
  if (!email) return 'Enter your email address.';
  if (email.length > 254 || !EMAIL_RE.test(email))
    return 'Enter a valid email address, like name@example.com.';
  return undefined;
}

export function validatePassword(value: string): string | undefined {
  if (!value) return 'Enter a password.';
  if (value.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (value.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return undefined;
}

export function validatePrompt(value: string, maxChars: number): string | undefined {
  if (!value.trim()) return 'Describe the picture you want.';
  if (value.length > maxChars) return `Keep the prompt under ${maxChars} characters.`;
  return undefined;
}
