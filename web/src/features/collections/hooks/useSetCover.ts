import { describeError } from '../../../lib/errors';
import type { Image } from '../../../types/api';
import { useToast } from '../../../components/ui/toast';
import { useUpdateCollection } from '../api/collections';

/** "Set as cover", for one image of collection `collection`. */
export function useSetCover(collection: string) {
  const update = useUpdateCollection(collection);
  const toast = useToast();
  return (image: Image) =>
    update.mutate(
      { changes: { cover_image_id: image.id }, coverImage: image },
      {
        onSuccess: (saved) =>
          toast.show({ tone: 'success', message: `Set as the cover of ${saved.name}.` }),
        onError: (error) =>
          toast.show({
            tone: 'error',
            message: `Couldn’t change the cover. ${describeError(error)}`,
          }),
      },
    );
}
