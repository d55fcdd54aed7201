import { type ReactNode } from 'react';
import { cn } from '../../utils/cn';
import { CopyButton } from './CopyButton';
import { controlClasses, Label } from './Field';

/**
 * A value to take elsewhere (a secret, a link): a read-only field, selected
 * whole when focused, with a button that copies it. `autoFocus`: the button
 * takes a dialog's first focus.
 */
export function CopyField({
  id,
  label,
  value,
  copyLabel,
  autoFocus = false,
}: {
  id: string;
  label: ReactNode;
  value: string;
  copyLabel: string;
  autoFocus?: boolean;
}) {
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
          autoComplete="off"
          className={cn(controlClasses, 'h-11 font-mono')}
        />
        <CopyButton
          text={value}
          variant="secondary"
          size="md"
          className="shrink-0"
          data-autofocus={autoFocus || undefined}
        >
          {copyLabel}
        </CopyButton>
      </div>
    </div>
  );
}
