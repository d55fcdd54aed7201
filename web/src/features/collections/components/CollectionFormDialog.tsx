import { useId, useState, type FormEvent } from 'react';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { TextArea, TextField } from '../../../components/ui/Field';
import { Modal } from '../../../components/ui/Modal';
import {
  collectionErrors,
  DESCRIPTION_MAX,
  hasErrors,
  validateCollection,
  type CollectionErrors,
} from './collectionErrors';

export interface CollectionFields {
  name: string;
  description: string;
}

/**
 * A collection's name and description, for a new collection or an existing
 * one. The server's refusals (a name already taken, too long) show on their
 * field; the dialog closes only once it has said yes.
 */
export function CollectionFormDialog({
  title,
  submitLabel,
  initial = { name: '', description: '' },
  onSubmit,
  onClose,
  returnFocusTo,
}: {
  title: string;
  submitLabel: string;
  initial?: CollectionFields;
  /** Resolves once saved; a rejection's reason is shown on its field. */
  onSubmit: (fields: CollectionFields) => Promise<unknown>;
  onClose: () => void;
  returnFocusTo?: () => HTMLElement | null;
}) {
  const titleId = useId();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [errors, setErrors] = useState<CollectionErrors>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = validateCollection(name, description);
    setErrors(found);
    if (hasErrors(found)) {
      document.getElementById(found.name ? `${titleId}-name` : `${titleId}-description`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit({ name: name.trim(), description: description.trim() });
      onClose();
    } catch (error) {
      const refused = collectionErrors(error, name);
      setErrors(refused);
      setBusy(false);
      if (refused.name) document.getElementById(`${titleId}-name`)?.focus();
      else if (refused.description) document.getElementById(`${titleId}-description`)?.focus();
    }
  }

  return (
    <Modal
      onClose={() => !busy && onClose()}
      labelledBy={titleId}
      className="max-w-md"
      returnFocusTo={returnFocusTo}
    >
      <form className="flex flex-col gap-4 p-6" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <TextField
          id={`${titleId}-name`}
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoComplete="off"
          required
          data-autofocus
        />
        <TextArea
          id={`${titleId}-description`}
          label="Description (optional)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
          hint={`Up to ${DESCRIPTION_MAX} characters.`}
          rows={3}
        />
        {errors.form && <Alert>{errors.form}</Alert>}
        <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" busy={busy}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
