import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { NotFound } from '../areas/public/NotFound';
import { useSession } from '../session/SessionContext';
import { Spinner } from '../ui/Spinner';

/** Signed-out visitors go to login (and come back); other roles see "not found". */
export function RequireRole({ roles }: { roles: Role[] }) {
  const { status, user } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Spinner />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (!roles.includes(user.role)) return <NotFound />;
  return <Outlet />;
}
