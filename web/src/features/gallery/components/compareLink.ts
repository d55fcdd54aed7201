/** Where the selection bar's Compare leads: /compare?ids=a,b,c, the compare page's address. */
import type { Image } from '../../../types/api';

/** How many images Compare takes side by side. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

export const compareHref = (images: Pick<Image, 'id'>[]) =>
  `/compare?ids=${images.map((i) => encodeURIComponent(i.id)).join(',')}`;
