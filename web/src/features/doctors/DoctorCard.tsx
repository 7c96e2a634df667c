import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DoctorSummary } from '../../api/types';
import { Card, Stars } from '../../ui';

export function Avatar({ url, name, size = 'h-14 w-14' }: { url: string | null; name: string; size?: string }) {
  if (url) return <img src={url} alt="" className={`${size} rounded-full object-cover`} />;
  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .slice(0, 2)
    .join('');
  return (
    <span aria-hidden="true" className={`${size} inline-flex shrink-0 items-center justify-center rounded-full bg-teal-100 font-semibold text-teal-900`}>
      {initials}
    </span>
  );
}

export function DoctorCard({ doctor }: { doctor: DoctorSummary }) {
  const { t } = useTranslation();
  return (
    <Card className="flex gap-3">
      <Avatar url={doctor.img_url} name={doctor.name} />
      <div className="min-w-0">
        <h2 className="font-semibold">
          <Link to={`/doctors/${doctor.id}`} className="text-teal-900 underline-offset-2 hover:underline">
            {doctor.name}
          </Link>
        </h2>
        <p className="text-sm text-slate-700">
          {doctor.specialty.name}
          {doctor.city ? ` · ${doctor.city}` : ''}
        </p>
        {doctor.rating_count > 0 ? (
          <Stars value={doctor.avg_rating} count={doctor.rating_count} />
        ) : (
          <p className="text-sm text-slate-700">{t('rating.none')}</p>
        )}
      </div>
    </Card>
  );
}
