/** React access to the one live store. */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LiveStore, LiveView } from './store';

/** The store, provided by the app shell. */
export const LiveContext = createContext<LiveStore | null>(null);

/** The current live view (re-renders when it changes). */
export function useLive(): LiveView {
  const store = useContext(LiveContext);
  if (!store) throw new Error('useLive outside LiveContext');
  return useSyncExternalStore(store.subscribe, store.getView);
}
