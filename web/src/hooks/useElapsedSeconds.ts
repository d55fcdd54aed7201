import { useEffect, useState } from 'react';

/**
 * Whole seconds since `running` became true (or since `since`, epoch ms, for
 * work that began before this component mounted); resets when it turns false.
 */
export function useElapsedSeconds(running: boolean, since?: number): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!running) return;
    const start = since ?? Date.now();
    const timer = window.setInterval(
      () => setElapsed(Math.floor((Date.now() - start) / 1000)),
      250,
    );
    return () => {
      window.clearInterval(timer);
      setElapsed(0);
    };
  }, [running, since]);
  return running ? elapsed : 0;
}
