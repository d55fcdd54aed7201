import { KeyRound } from 'lucide-react';
import { useEffect, useId } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { controlClasses, FieldMessage, Label, TextField } from '../../../components/ui/Field';
import type { NewApiKey } from '../../../types/api';
import { cn } from '../../../utils/cn';
import { EXPIRY_CHOICES, KEY_NAME_MAX, useNewKeyForm } from '../hooks/useNewKeyForm';

/**
 * A name and an expiry for a new key. `focusOnMount`: back from the secret
 * panel, the name field takes the focus, so the keyboard stays where it was.
 */
export function NewKeyForm({
  onCreated,
  focusOnMount = false,
}: {
  onCreated: (created: NewApiKey) => void;
  focusOnMount?: boolean;
}) {
  const id = useId();
  const nameId = `${id}-name`;
  const expiryId = `${id}-expiry`;
  const form = useNewKeyForm(onCreated);

  useEffect(() => {
    if (focusOnMount) document.getElementById(nameId)?.focus();
  }, [focusOnMount, nameId]);

  return (
    <form
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) =>
        void form.submit(event).then((errors) => {
          if (errors.name) document.getElementById(nameId)?.focus();
        })
      }
    >
      <h3 id={`${id}-title`} className="font-medium">
        New key
      </h3>
      <div className="mt-4 grid gap-4 sm:grid-cols-[1fr_11rem]">
        <TextField
          id={nameId}
          label="Name"
          value={form.name}
          onChange={(e) => form.setName(e.target.value)}
          error={form.errors.name}
          hint={`What will use it, such as “nightly backup script”. Up to ${KEY_NAME_MAX} characters.`}
          autoComplete="off"
          required
        />
        <div>
          <Label htmlFor={expiryId}>Expires after</Label>
          <select
            id={expiryId}
            className={cn(controlClasses, 'h-11')}
            value={form.days ?? ''}
            onChange={(e) => form.setDays(e.target.value ? Number(e.target.value) : null)}
            aria-describedby={`${expiryId}-message`}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.label} value={choice.days ?? ''}>
                {choice.label}
              </option>
            ))}
          </select>
          <FieldMessage id={`${expiryId}-message`} hint="Or until you revoke it." />
        </div>
      </div>
      {form.errors.form && <Alert className="mt-4">{form.errors.form}</Alert>}
      <Button
        type="submit"
        className="mt-4"
        busy={form.busy}
        icon={<KeyRound className="size-4" aria-hidden="true" />}
      >
        Create key
      </Button>
    </form>
  );
}
