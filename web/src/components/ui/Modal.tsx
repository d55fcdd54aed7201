import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { cn } from '../../utils/cn';

const FOCUSABLE =
  'a[href], area[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), ' +
  'textarea:not([disabled]), iframe, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/** The open dialogs, innermost last: only that one answers Esc and Tab. */
const openPanels: HTMLElement[] = [];

/**
 * Accessible modal dialog: Esc closes, Tab cycles inside, focus returns to
 * where it was on close (or to what `returnFocusTo` names then), the page
 * behind does not scroll. A dialog opened from another one (a picker over
 * the image detail) takes the keys until it closes.
 */
export function Modal({
  onClose,
  labelledBy,
  children,
  className,
  returnFocusTo,
  describedBy,
  role = 'dialog',
}: {
  onClose: () => void;
  labelledBy: string;
  describedBy?: string;
  /** `alertdialog` for a question that needs an answer before anything else. */
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
  className?: string;
  /** Asked on close: the element to focus instead of the one focused on open. */
  returnFocusTo?: () => HTMLElement | null;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  const returnFocusRef = useRef(returnFocusTo);
  useEffect(() => {
    onCloseRef.current = onClose;
    returnFocusRef.current = returnFocusTo;
  }, [onClose, returnFocusTo]);

  useEffect(() => {
    const previouslyFocused = document.activeElement as HTMLElement | null;
    const node = panel.current;
    if (node) openPanels.push(node);
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node;
    first?.focus();
    const { overflow } = document.body.style;
    document.body.style.overflow = 'hidden';

    function onKeyDown(event: KeyboardEvent) {
      if (openPanels[openPanels.length - 1] !== node) return;
      if (event.key === 'Escape') {
        event.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab' || !node) return;
      const items = Array.from(node.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
        (el) => !el.closest('[hidden], [inert]'),
      );
      if (items.length === 0) {
        event.preventDefault();
        node.focus();
        return;
      }
      const firstItem = items[0];
      const lastItem = items[items.length - 1];
      const active = document.activeElement;
      if (event.shiftKey && (active === firstItem || active === node)) {
        event.preventDefault();
        lastItem?.focus();
      } else if (!event.shiftKey && active === lastItem) {
        event.preventDefault();
        firstItem?.focus();
      } else if (!node.contains(active)) {
        event.preventDefault();
        firstItem?.focus();
      }
    }

    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      if (node) openPanels.splice(openPanels.indexOf(node), 1);
      document.body.style.overflow = overflow;
      const target = returnFocusRef.current?.();
      // Without scrolling: the page stays where the person left it.
      if (target) target.focus({ preventScroll: true });
      else previouslyFocused?.focus?.();
    };
  }, []);

  return createPortal(
    <div className="fixed inset-0 z-50 flex items-center justify-center p-0 sm:p-4">
      <div
        className="absolute inset-0 bg-zinc-950/70 backdrop-blur-sm"
        aria-hidden="true"
        onClick={() => onCloseRef.current()}
      />
      <div
        ref={panel}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className={cn(
          'relative z-10 max-h-dvh w-full overflow-y-auto bg-white shadow-2xl outline-none sm:max-h-[92dvh] sm:rounded-3xl dark:bg-zinc-900',
          className,
        )}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
