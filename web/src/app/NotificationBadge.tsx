import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { accessToken } from '../api/client';
import { q } from '../api/queries';
import { useSession } from '../session/SessionContext';

/**
 * The inbox link with its unread count, kept live by the notification
 * stream (SSE): every pushed notification refreshes the count, the inbox
 * and the appointments it may be about.
 */
export function NotificationBadge() {
  const { t } = useTranslation();
  const { user, offline } = useSession();
  const client = useQueryClient();
  const unread = useQuery({ ...q.unread(), enabled: !!user && !offline });
  const count = unread.data?.total ?? 0;

  useEffect(() => {
    const token = accessToken();
    if (!user || offline || !token) return;
    // EventSource cannot set headers: the token goes in the query (api.md).
    const source = new EventSource(`/api/v1/notifications/stream?access_token=${encodeURIComponent(token)}`);
    source.addEventListener('notification', () => {
      void client.invalidateQueries({ queryKey: ['notifications'] });
      void client.invalidateQueries({ queryKey: ['appointments'] });
    });
    return () => source.close();
  }, [user, offline, client]);

  return (
    <NavLink
      to="/notifications"
      className={({ isActive }) =>
        `inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm font-medium ${isActive ? 'bg-teal-100 text-teal-950' : 'text-slate-800 hover:bg-slate-100'}`
      }
      aria-label={t('nav.notificationsCount', { count })}
    >
      {t('nav.notifications')}
      {count > 0 && (
        <span aria-hidden="true" data-testid="unread-badge" className="rounded-full bg-red-700 px-2 text-xs font-bold text-white">
          {count}
        </span>
      )}
    </NavLink>
  );
}
