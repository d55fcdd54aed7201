import { Check, Copy } from 'lucide-react';
import { useCopyToClipboard } from '../../hooks/useCopyToClipboard';
import { Button, type ButtonProps } from './Button';

/** Copies `text` to the clipboard, and says "Copied" for a moment after. */
export function CopyButton({
  text,
  children,
  variant = 'ghost',
  size = 'sm',
  ...rest
}: Omit<ButtonProps, 'onClick' | 'icon'> & { text: string }) {
  const { copied, copy } = useCopyToClipboard();
  return (
    <Button
      variant={variant}
      size={size}
      onClick={() => void copy(text)}
      icon={
        copied ? (
          <Check className="size-4 text-emerald-600" aria-hidden="true" />
        ) : (
          <Copy className="size-4" aria-hidden="true" />
        )
      }
      {...rest}
    >
      {copied ? 'Copied' : children}
    </Button>
  );
}
