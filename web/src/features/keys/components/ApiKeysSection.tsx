import { useId, useState } from 'react';
import { Card } from '../../../components/ui/Card';
import type { NewApiKey } from '../../../types/api';
import { ApiKeyList } from './ApiKeyList';
import { NewKeyForm } from './NewKeyForm';
import { NewKeySecret } from './NewKeySecret';

/**
 * API keys on the profile: make one (its secret is shown once, in place of
 * the form), see them all, revoke one. The same in both sign-in modes: the
 * API client sends whatever credentials the mode uses.
 */
export function ApiKeysSection() {
  const id = useId();
  /** Only here, in this component's state, until the panel is dismissed. */
  const [created, setCreated] = useState<NewApiKey | null>(null);
  const [backFromSecret, setBackFromSecret] = useState(false);

  return (
    <section aria-labelledby={`${id}-title`} className="mt-10">
      <h2 id={`${id}-title`} tabIndex={-1} className="text-lg font-semibold outline-none">
        API keys
      </h2>
      <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">
        Scripts and other programs use PromptCanvas as you with a key, sent as{' '}
        <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. A key can do
        everything you can except manage keys.
      </p>
      <Card className="mt-4 p-6">
        {created ? (
          <NewKeySecret
            created={created}
            onDismiss={() => {
              setCreated(null);
              setBackFromSecret(true);
            }}
          />
        ) : (
          <NewKeyForm onCreated={setCreated} focusOnMount={backFromSecret} />
        )}
      </Card>
      <div className="mt-4">
        <ApiKeyList afterRevoke={() => document.getElementById(`${id}-title`)} />
      </div>
    </section>
  );
}
