import { ChevronLeft, ImageUp, Pencil, Trash2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { images } from '../../../lib/bulkText';
import { describeError } from '../../../lib/errors';
import type { Collection } from '../../../types/api';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { useToast } from '../../../components/ui/toast';
import { useDeleteCollection, useUpdateCollection } from '../api/collections';
import { useSetCover } from '../hooks/useSetCover';
import { CollectionFormDialog } from './CollectionFormDialog';

/** The images stay: said for the collection's count. */
function whatDeletingLeaves(count: number): string {
  if (count === 0) return 'The collection is empty: nothing in your gallery changes.';
  if (count === 1) return 'Only the collection goes: its image stays in your gallery.';
  return `Only the collection goes: its ${images(count)} stay in your gallery.`;
}

/**
 * A collection's page heading: its name, description and count, and what can
 * be done with it: edit the name and description, go back to the newest
 * image as cover, delete it (its images stay in the gallery). `actions`: what
 * other features let one do with it (share it), among its own.
 */
export function CollectionHeader({
  collection,
  actions,
}: {
  collection: Collection;
  actions?: ReactNode;
}) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const update = useUpdateCollection(collection.id);
  const setCover = useSetCover(collection.id);
  const remove = useDeleteCollection();
  const toast = useToast();
  const navigate = useNavigate();

  function coverFromNewest() {
    setCover(null);
  }

  function confirmDelete() {
    remove.mutate(collection.id, {
      onSuccess: () => {
        navigate('/collections');
        toast.show({
          tone: 'success',
          message: `Deleted the collection “${collection.name}”. Its images are still in your gallery.`,
        });
      },
    });
  }

  return (
    <>
      <Link
        to="/collections"
        className="mb-3 inline-flex items-center gap-1 rounded-lg text-sm font-medium text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"
      >
        <ChevronLeft className="size-4" aria-hidden="true" />
        Collections
      </Link>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight sm:text-3xl">
            {collection.name}
          </h1>
          {collection.description && (
            <p className="mt-1.5 whitespace-pre-wrap break-words text-sm text-zinc-700 dark:text-zinc-300">
              {collection.description}
            </p>
          )}
          <p
            className="mt-1 text-sm tabular-nums text-zinc-600 dark:text-zinc-400"
            data-testid="collection-count"
          >
            {images(collection.image_count)}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="secondary"
            onClick={() => setEditing(true)}
            icon={<Pencil className="size-4" aria-hidden="true" />}
          >
            Edit
          </Button>
          {actions}
          {collection.cover_image_id && (
            <Button
              variant="secondary"
              onClick={coverFromNewest}
              title="The cover follows the newest image in the collection"
              icon={<ImageUp className="size-4" aria-hidden="true" />}
            >
              Use newest image
            </Button>
          )}
          <Button
            variant="secondary"
            onClick={() => {
              remove.reset();
              setDeleting(true);
            }}
            icon={<Trash2 className="size-4" aria-hidden="true" />}
          >
            Delete
          </Button>
        </div>
      </div>

      {editing && (
        <CollectionFormDialog
          title="Edit collection"
          submitLabel="Save"
          initial={{ name: collection.name, description: collection.description ?? '' }}
          onClose={() => setEditing(false)}
          onSubmit={({ name, description }) =>
            update.mutateAsync({ changes: { name, description: description || null } })
          }
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${collection.name}”?`}
          confirmLabel="Delete collection"
          danger
          busy={remove.isPending}
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(false)}
          error={remove.isError && <Alert>{describeError(remove.error)}</Alert>}
        >
          {whatDeletingLeaves(collection.image_count)}
        </ConfirmDialog>
      )}
    </>
  );
}
