import { useId, useState } from 'react';
import { PageSection } from '../../../components/layout/PageSection';
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
    <PageSection
      titleId={`${id}-title`}
      title="API keys"
      description={
        <>
          Scripts and other programs use PromptCanvas as you with a key, sent as{' '}
          <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. A key can do
          everything you can except manage keys.
        </>
      }
    >
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
    </PageSection>
  );
}
