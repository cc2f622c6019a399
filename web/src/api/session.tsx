/** The signed-in user: read once from `GET /api/v1/session`, set by sign-in, cleared by sign-out or a 401. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { ApiError, api, setCsrfToken } from './client';
import type { Me } from './types';

/** Session state and actions. */
export interface SessionApi {
  /** Undefined while loading; null when signed out. */
  me: Me | null | undefined;
  signIn(username: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
  /** Saves the UI language for this user. */
  saveLanguage(language: string): Promise<void>;
}

/** Context for {@link useSession}. */
export const SessionContext = createContext<SessionApi | null>(null);

/** The session. */
export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionContext');
  return s;
}

/** Builds the session API (used once, by the app root). */
export function useSessionState(): SessionApi {
  const qc = useQueryClient();
  const q = useQuery<Me | null>({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const me = await api<Me>('GET', '/api/v1/session');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const signIn = useCallback(
    async (username: string, password: string) => {
      const me = await api<Me>('POST', '/api/v1/session', { username, password });
      setCsrfToken(me.csrfToken);
      qc.setQueryData(['session'], me);
      return me;
    },
    [qc],
  );
  const signOut = useCallback(async () => {
    try {
      await api('DELETE', '/api/v1/session');
    } finally {
      setCsrfToken(undefined);
      qc.clear();
      qc.setQueryData(['session'], null);
    }
  }, [qc]);
  const saveLanguage = useCallback(
    async (language: string) => {
      const me = qc.getQueryData<Me | null>(['session']);
      if (!me) return;
      const r = await api<Me>('PATCH', '/api/v1/session', { language });
      qc.setQueryData(['session'], { ...me, language: r.language });
    },
    [qc],
  );
  return { me: q.isPending ? undefined : (q.data ?? null), signIn, signOut, saveLanguage };
}
