import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type TextareaHTMLAttributes,
} from 'react';
import { cn } from '../../utils/cn';

export const controlClasses =
  'block w-full rounded-xl border border-zinc-300 bg-white px-3.5 text-sm text-zinc-900 shadow-xs ' +
  'placeholder:text-zinc-400 transition focus:border-brand-500 focus:outline-2 focus:outline-offset-0 ' +
  'focus:outline-brand-500/40 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 ' +
  'dark:text-zinc-100 dark:placeholder:text-zinc-500 aria-invalid:border-red-500 ' +
  'aria-invalid:focus:outline-red-500/40';

export function Label({
  htmlFor,
  children,
  className,
}: {
  htmlFor: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <label
      htmlFor={htmlFor}
      className={cn('mb-1.5 block text-sm font-medium text-zinc-800 dark:text-zinc-200', className)}
    >
      {children}
    </label>
  );
}

export function FieldMessage({
  id,
  error,
  hint,
}: {
  id: string;
  error?: string;
  hint?: ReactNode;
}) {
  if (error) {
    return (
      <p id={id} className="mt-1.5 text-sm text-red-600 dark:text-red-400">
        {error}
      </p>
    );
  }
  if (hint) {
    return (
      <p id={id} className="mt-1.5 text-sm text-zinc-500 dark:text-zinc-400">
        {hint}
      </p>
    );
  }
  return null;
}

interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string;
  hint?: ReactNode;
}

export function TextField({ label, error, hint, id, className, ...rest }: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const messageId = `${inputId}-message`;
  return (
    <div className={className}>
      <Label htmlFor={inputId}>{label}</Label>
      <input
        id={inputId}
        className={cn(controlClasses, 'h-11')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        {...rest}
      />
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}

interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  error?: string;
  hint?: ReactNode;
  labelAside?: ReactNode;
}

export function TextArea({
  label,
  error,
  hint,
  id,
  className,
  labelAside,
  ...rest
}: TextAreaProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const messageId = `${inputId}-message`;
  return (
    <div className={className}>
      <div className="flex items-baseline justify-between gap-2">
        <Label htmlFor={inputId}>{label}</Label>
        {labelAside}
      </div>
      <textarea
        id={inputId}
        className={cn(controlClasses, 'resize-y py-3 leading-relaxed')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? messageId : undefined}
        {...rest}
      />
      <FieldMessage id={messageId} error={error} hint={hint} />
    </div>
  );
}
