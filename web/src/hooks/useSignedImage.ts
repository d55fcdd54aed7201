import { useRef, useState } from 'react';

export type SignedImageState = 'shown' | 'refreshing' | 'failed';

/**
 * Image URLs are signed and expire. When one fails to load, the data holding
 * it is refetched once (fresh URLs) and the image tried again; if that fails
 * too, the caller shows a placeholder with Retry. Never the browser's
 * broken-image icon: a failed <img> is taken out at once.
 */
export function useSignedImage(refetch: () => Promise<unknown>) {
  const [state, setState] = useState<SignedImageState>('shown');
  const [attempt, setAttempt] = useState(0);
  // Whether a refetch was already spent on the current failure.
  const refetched = useRef(false);

  async function reload() {
    refetched.current = true;
    setState('refreshing');
    try {
      await refetch();
    } finally {
      setState('shown');
      // A new element: the browser tries again even when the URL came back the same.
      setAttempt((a) => a + 1);
    }
  }

  return {
    state,
    /** The <img>'s key: a new element for each try. */
    imageKey: attempt,
    /** Spread on the <img>. */
    imgProps: {
      onError: () => {
        if (refetched.current) setState('failed');
        else void reload();
      },
      onLoad: () => {
        refetched.current = false;
      },
    },
    retry: () => void reload(),
  };
}
