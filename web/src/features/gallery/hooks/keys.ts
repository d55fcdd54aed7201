/** What the gallery's keyboard shortcuts need to know about keys and where they land. */

export const onMac =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.platform);

/** The modifier that selects everything: ⌘ on a Mac, Ctrl elsewhere. */
export const commandKey = onMac ? '⌘' : 'Ctrl';

const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'image',
  'range',
  'color',
  'file',
]);

/** Focus is somewhere keys type text (a search box, a text area): shortcuts stay out of its way. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
