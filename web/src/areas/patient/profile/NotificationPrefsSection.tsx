import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { put } from '../../../api/client';
import { q } from '../../../api/queries';
import type { NotificationPreferences } from '../../../api/types';
import { Alert, Button, Field, ProblemAlert, QueryState, SectionCard } from '../../../ui';

function PrefsForm({ prefs }: { prefs: NotificationPreferences }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [v, setV] = useState(prefs);
  const save = useMutation({
    mutationFn: () => put('/api/v1/notifications/preferences', v),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['notifications', 'preferences'] }),
  });
  const toggle = (k: 'email' | 'sms' | 'in_app') => (
    <label className="flex items-center gap-2 py-1">
      <input type="checkbox" checked={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.checked })} className="h-5 w-5" />
      {t(`notifications.channel.${k}`)}
    </label>
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <fieldset className="mb-3">
        <legend className="mb-1 text-sm font-medium">{t('notifications.channels')}</legend>
        {toggle('in_app')}
        {toggle('email')}
        {toggle('sms')}
      </fieldset>
      <Field
        label={t('notifications.reminder')}
        type="number"
        min={1}
        max={168}
        value={v.reminder_hours_before}
        onChange={(e) => setV({ ...v, reminder_hours_before: Number(e.target.value) })}
      />
      {save.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
      <ProblemAlert error={save.error} />
      <Button type="submit" className="mt-2" disabled={save.isPending}>
        {t('common.save')}
      </Button>
    </form>
  );
}

export function NotificationPrefsSection() {
  const { t } = useTranslation();
  const prefs = useQuery(q.notificationPreferences());
  return (
    <SectionCard id="nprefs" title={t('profile.notifications')}>
      <QueryState query={prefs}>{(p) => <PrefsForm prefs={p} />}</QueryState>
    </SectionCard>
  );
}
