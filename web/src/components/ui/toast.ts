import { createContext, useContext } from 'react';

export type ToastTone = 'info' | 'success' | 'error';

export interface ToastOptions {
  message: string;
  tone?: ToastTone;
  /** One button beside the message, such as Undo; pressing it also closes the toast. */
  action?: { label: string; onClick: () => void };
  /** Milliseconds on screen, not counting time paused under the pointer or focus. */
  duration?: number;
}

export interface Toasts {
  /** Shows a toast and returns its id. */
  show: (toast: ToastOptions) => string;
  dismiss: (id: string) => void;
}

export const DEFAULT_TOAST_MS = 5000;

export const ToastContext = createContext<Toasts | null>(null);

/** Short-lived messages at the foot of the screen; needs a ToastProvider above. */
export function useToast(): Toasts {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToast must be used inside <ToastProvider>');
  return value;
}
