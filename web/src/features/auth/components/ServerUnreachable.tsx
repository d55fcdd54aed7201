import { CloudOff, RotateCcw } from 'lucide-react';
import { Button } from '../../../components/ui/Button';
import { EmptyState } from '../../../components/ui/EmptyState';
import { useAuth } from '../AuthContext';

/** In place of a page while the server does not say who is signed in. */
export function ServerUnreachable() {
  const auth = useAuth();
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <EmptyState
        icon={<CloudOff className="size-7" aria-hidden="true" />}
        title="Can't reach the server"
        action={
          <Button
            variant="secondary"
            onClick={auth.retry}
            icon={<RotateCcw className="size-4" aria-hidden="true" />}
          >
            Try again
          </Button>
        }
      >
        PromptCanvas did not answer, so it can't tell who is signed in. Nothing has been lost: check
        your connection, then try again.
      </EmptyState>
    </div>
  );
}
