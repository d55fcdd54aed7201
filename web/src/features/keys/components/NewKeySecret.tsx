import { useEffect, useId, useRef } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { CopyButton } from '../../../components/ui/CopyButton';
import { CopyField } from '../../../components/ui/CopyField';
import { API_BASE } from '../../../lib/env';
import type { NewApiKey } from '../../../types/api';

/** A command that generates an image with `secret`, to paste into a terminal. */
function curlExample(secret: string): string {
  const url = new URL(`${API_BASE}/generations`, window.location.origin).href;
  return [
    `curl -X POST ${url}`,
    `  -H "Authorization: Bearer ${secret}"`,
    `  -H "Content-Type: application/json"`,
    `  -d '{"prompt": "a lighthouse at dawn"}'`,
  ].join(' \\\n');
}

/**
 * The one time a new key's secret is shown: copy it, try it, and say Done.
 * The secret lives only in the props of this panel; once it is dismissed
 * nothing in the app holds it any more. Focus comes here when it opens, so a
 * screen reader reads the warning first.
 */
export function NewKeySecret({
  created,
  onDismiss,
}: {
  created: NewApiKey;
  onDismiss: () => void;
}) {
  const id = useId();
  const panel = useRef<HTMLElement>(null);
  const example = curlExample(created.secret);

  useEffect(() => {
    panel.current?.focus();
  }, []);

  return (
    <section
      ref={panel}
      tabIndex={-1}
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-4 outline-none"
      data-testid="new-key"
    >
      <h3 id={`${id}-title`} className="font-medium">
        Your new key “{created.key.name}”
      </h3>
      <Alert tone="warning" title="Copy it now: it will not be shown again.">
        Only a fingerprint of it is kept, so nobody can show it to you later. If you lose it, revoke
        it and make another.
      </Alert>
      <CopyField
        id={`${id}-secret`}
        label="Secret key"
        value={created.secret}
        copyLabel="Copy key"
      />
      <div>
        <div className="flex items-center justify-between gap-2">
          <h4 id={`${id}-example`} className="text-sm font-medium">
            Try it: generate an image
          </h4>
          <CopyButton text={example}>Copy command</CopyButton>
        </div>
        <pre
          aria-labelledby={`${id}-example`}
          className="mt-1.5 whitespace-pre-wrap break-all rounded-xl bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100"
        >
          <code>{example}</code>
        </pre>
      </div>
      <div className="flex justify-end">
        <Button onClick={onDismiss}>Done</Button>
      </div>
    </section>
  );
}
