// The signed-in user, in one small context. Tokens never leave memory (the
// refresh token is an HttpOnly cookie); only a hint that someone was
// signed in (id, name, role) is kept, so a reload knows to try a refresh
// and an offline start can still show that user's last-seen pages.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { COOKIE_HEADER, onSessionChange, post, refreshSession, setAccessToken } from '../api/client';
import type { Session, UserSummary } from '../api/types';

const HINT = 'qc.user';

export type SessionStatus = 'loading' | 'signed-in' | 'anonymous';

export interface SessionValue {
  status: SessionStatus;
  user: UserSummary | null;
  /** Signed in from the hint because the network is away. */
  offline: boolean;
  signIn: (s: Session) => void;
  signOut: () => Promise<void>;
}

const Ctx = createContext<SessionValue | null>(null);

function readHint(): UserSummary | null {
  try {
    const raw = localStorage.getItem(HINT);
    return raw ? (JSON.parse(raw) as UserSummary) : null;
  } catch {
    return null;
  }
}

function writeHint(user: UserSummary | null): void {
  if (user) localStorage.setItem(HINT, JSON.stringify({ id: user.id, name: user.name, role: user.role }));
  else localStorage.removeItem(HINT);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserSummary | null>(null);
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [offline, setOffline] = useState(false);

  const apply = useCallback((s: Session | null) => {
    setUser(s?.user ?? null);
    setStatus(s ? 'signed-in' : 'anonymous');
    setOffline(false);
    writeHint(s?.user ?? null);
  }, []);

  useEffect(() => {
    onSessionChange(apply);
    const hint = readHint();
    if (!hint) {
      setStatus('anonymous');
      return;
    }
    refreshSession().catch(() => {
      // No network: carry on as the hinted user with what the service worker kept.
      setUser(hint);
      setStatus('signed-in');
      setOffline(true);
    });
  }, [apply]);

  const signIn = useCallback(
    (s: Session) => {
      setAccessToken(s.access_token);
      apply(s);
    },
    [apply],
  );

  const signOut = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout', {}, COOKIE_HEADER);
    } catch {
      // Signing out locally is what matters; the cookie expires on its own.
    }
    setAccessToken(null);
    apply(null);
    if ('caches' in window) await caches.delete('last-seen');
  }, [apply]);

  const value = useMemo(() => ({ status, user, offline, signIn, signOut }), [status, user, offline, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
