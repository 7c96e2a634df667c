import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { q } from '../../../api/queries';
import { Avatar } from '../../../features/doctors/DoctorCard';
import { Alert, Button, ProblemAlert, SectionCard } from '../../../ui';

/** The API takes png/jpeg/webp up to 5 MB (and checks the content itself). */
const MAX_BYTES = 5 * 1024 * 1024;

export function AvatarSection() {
  const { t } = useTranslation();
  const id = useId();
  const client = useQueryClient();
  const me = useQuery(q.me());
  const [file, setFile] = useState<File | null>(null);
  const tooLarge = file !== null && file.size > MAX_BYTES;
  const upload = useMutation({
    mutationFn: (f: File) => api('PUT', '/api/v1/auth/me/avatar', { raw: f, headers: { 'Content-Type': f.type } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['me'] }),
  });
  return (
    <SectionCard id={`${id}-h`} title={t('profile.avatar')}>
      <div className="mb-3 flex items-center gap-3">
        {me.data && <Avatar url={me.data.img_url} name={me.data.name} size="h-16 w-16" />}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file && !tooLarge) upload.mutate(file);
        }}
      >
        <label htmlFor={id} className="mb-1 block text-sm font-medium">
          {t('profile.avatarFile')}
        </label>
        <input id={id} type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => setFile(e.target.files?.[0] ?? null)} className="mb-2 block w-full text-sm" />
        {tooLarge && <Alert tone="error">{t('validation.avatarTooLarge')}</Alert>}
        {upload.isSuccess && <Alert tone="success">{t('common.saved')}</Alert>}
        <ProblemAlert error={upload.error} />
        <Button type="submit" className="mt-2" disabled={!file || tooLarge || upload.isPending}>
          {t('profile.upload')}
        </Button>
      </form>
    </SectionCard>
  );
}
