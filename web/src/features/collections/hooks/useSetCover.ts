import { describeError } from '../../../lib/errors';
import type { Image } from '../../../types/api';
import { useToast } from '../../../components/ui/toast';
import { useUpdateCollection } from '../api/collections';

/**
 * Chooses the cover of collection `collection`: an image of it, or null for
 * the newest image. Shown at once; said in a toast either way.
 */
export function useSetCover(collection: string) {
  const update = useUpdateCollection(collection);
  const toast = useToast();
  return (image: Image | null) =>
    update.mutate(
      { changes: { cover_image_id: image?.id ?? null }, coverImage: image ?? undefined },
      {
        onSuccess: (saved) =>
          toast.show({
            tone: 'success',
            message: image
              ? `Set as the cover of ${saved.name}.`
              : `The cover of ${saved.name} is its newest image again.`,
          }),
        onError: (error) =>
          toast.show({
            tone: 'error',
            message: `Couldn’t change the cover. ${describeError(error)}`,
          }),
      },
    );
}
