import { Check } from 'lucide-react';
import { cn } from '../../../utils/cn';

/**
 * The checkbox that selects one image: a real, labelled checkbox drawn to sit
 * on a picture. Shift held while it is clicked (or Space pressed on it)
 * selects the range from the last image toggled.
 */
export function SelectCheckbox({
  label,
  checked,
  onToggle,
  className,
}: {
  label: string;
  checked: boolean;
  onToggle: (range: boolean) => void;
  className?: string;
}) {
  return (
    // The caller places the outer box (over a picture); the inner one holds the tick in place.
    <span className={cn('inline-flex size-7', className)}>
      <span className="relative inline-flex size-7">
        <input
          type="checkbox"
          aria-label={label}
          checked={checked}
          // A checkbox changes on a click (Space clicks it too), which carries the shift key.
          onChange={(event) => onToggle((event.nativeEvent as MouseEvent).shiftKey === true)}
          className="peer size-7 cursor-pointer appearance-none rounded-lg border-2 border-white bg-black/35 shadow-md backdrop-blur-sm transition checked:border-brand-600 checked:bg-brand-600 hover:bg-black/55 checked:hover:bg-brand-700"
        />
        <Check
          className="pointer-events-none absolute inset-0 m-auto size-4 text-white opacity-0 peer-checked:opacity-100"
          strokeWidth={3}
          aria-hidden="true"
        />
      </span>
    </span>
  );
}
