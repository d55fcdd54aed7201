import type { FormEvent } from 'react';

/** Form submit handler that stays on the page. */
export function preventDefault(handler: () => void) {
  return (event: FormEvent) => {
    event.preventDefault();
    handler();
  };
}
