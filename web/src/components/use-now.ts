/** The current time, re-rendering every `ms` (durations that tick). */
import { useEffect, useState } from 'react';

/** Epoch ms, refreshed every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
