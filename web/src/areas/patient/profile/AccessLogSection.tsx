import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { q } from '../../../api/queries';
import { formatDateTime } from '../../../lib/time';
import { useViewerZone } from '../../../lib/useZone';
import { useSession } from '../../../session/SessionContext';
import { QueryState, SectionCard } from '../../../ui';

/** "Who looked at my record": every read or write of it, newest first. */
export function AccessLogSection() {
  const { t, i18n } = useTranslation();
  const zone = useViewerZone();
  const log = useQuery(q.accessLog());
  const { user } = useSession();
  return (
    <SectionCard id="access" title={t('profile.accessLog')} className="lg:col-span-2">
      <QueryState query={log}>
        {(page) => (
          <div className="overflow-x-auto">
            <table className="w-full text-start text-sm">
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className="py-1 text-start">{t('access.at')}</th>
                  <th scope="col" className="py-1 text-start">{t('access.who')}</th>
                  <th scope="col" className="py-1 text-start">{t('access.action')}</th>
                  <th scope="col" className="py-1 text-start">{t('access.resource')}</th>
                </tr>
              </thead>
              <tbody>
                {page.data.map((e, i) => (
                  <tr key={`${e.at}-${i}`} className="border-b border-slate-100">
                    <td className="py-1">{formatDateTime(e.at, zone, i18n.language)}</td>
                    <td className="py-1">
                      {e.actor_user_id === user?.id
                        ? t('access.you')
                        : `${t(`access.role.${e.actor_role}`, { defaultValue: e.actor_role })} #${e.actor_user_id}`}
                    </td>
                    <td className="py-1">{e.action}</td>
                    <td className="py-1">{e.resource}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
    </SectionCard>
  );
}
