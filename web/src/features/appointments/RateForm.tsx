import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import { Alert, Button, ProblemAlert, TextAreaField } from '../../ui';

/** Rate the doctor after a visit (one rating per doctor; a new one replaces it). */
export function RateForm({ doctorId }: { doctorId: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const mine = useQuery(q.myRatings());
  const existing = mine.data?.data.find((r) => r.doctor_id === doctorId);
  const [rating, setRating] = useState<number>(0);
  const [comment, setComment] = useState('');
  const rate = useMutation({
    mutationFn: () => post('/api/v1/ratings', { doctor_id: doctorId, rating, comment: comment.trim() || undefined }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['ratings'] }),
  });
  const current = rating || existing?.rating || 0;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (rating) rate.mutate();
      }}
    >
      <fieldset className="mb-3">
        <legend className="mb-1 text-sm font-medium">{t('rate.legend')}</legend>
        <div className="flex gap-1">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="cursor-pointer">
              <input type="radio" name="rating" value={n} checked={current === n} onChange={() => setRating(n)} className="peer sr-only" />
              <span className="inline-flex h-10 w-10 items-center justify-center rounded-md border border-slate-300 text-xl text-amber-700 peer-checked:bg-amber-100 peer-focus-visible:outline-2 peer-focus-visible:outline-teal-700">
                <span aria-hidden="true">{n <= current ? '★' : '☆'}</span>
                <span className="sr-only">{t('rating.stars', { count: n })}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextAreaField label={t('rate.comment')} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      {existing && !rate.isSuccess && <p className="mb-2 text-sm text-slate-700">{t('rate.existing', { count: existing.rating })}</p>}
      {rate.isSuccess && <Alert tone="success">{t('rate.thanks')}</Alert>}
      <ProblemAlert error={rate.error} />
      <Button type="submit" disabled={!rating || rate.isPending} className="mt-2">
        {t('rate.submit')}
      </Button>
    </form>
  );
}
