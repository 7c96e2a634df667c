import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { post } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { Appointment, FreeSlot } from '../../api/types';
import { applyProblem } from '../../lib/forms';
import { formatDate, formatTime } from '../../lib/time';
import { Alert, Button, ButtonLink, Dialog, ProblemAlert, TextAreaField } from '../../ui';

/** Mirrors the API: a reason of 1 to 255 characters. */
export const bookingSchema = z.object({ reason: z.string().trim().min(1, 'required').max(255, 'tooLong') });
type Values = z.infer<typeof bookingSchema>;

export function BookDialog({
  slot,
  doctorName,
  viewerZone,
  onClose,
}: {
  slot: FreeSlot | null;
  doctorName: string;
  viewerZone: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [booked, setBooked] = useState<Appointment | null>(null);
  const [banner, setBanner] = useState<unknown>(null);
  const form = useForm<Values>({ resolver: zodResolver(bookingSchema), defaultValues: { reason: '' } });
  const book = useMutation({
    mutationFn: (v: Values) =>
      post<Appointment>(
        '/api/v1/appointments',
        { doctor_id: slot?.doctor_id, schedule_id: slot?.schedule_id, date: slot?.date, reason: v.reason },
        { 'Idempotency-Key': crypto.randomUUID() },
      ),
    onSuccess: (a) => {
      setBooked(a);
      void client.invalidateQueries({ queryKey: ['appointments'] });
      void client.invalidateQueries({ queryKey: ['availability'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) void client.invalidateQueries({ queryKey: ['availability'] });
      setBanner(applyProblem(e, form.setError, ['reason']));
    },
  });

  const close = () => {
    setBooked(null);
    setBanner(null);
    form.reset();
    onClose();
  };
  const when = slot
    ? `${formatDate(slot.start_at, viewerZone, i18n.language)}, ${formatTime(slot.start_at, viewerZone, i18n.language)}`
    : '';
  const reasonError = form.formState.errors.reason;

  return (
    <Dialog isOpen={slot !== null} onClose={close} title={booked ? t('booking.doneTitle') : t('booking.title')}>
      {booked ? (
        <div className="space-y-3">
          <Alert tone="success">{t('booking.done', { doctor: doctorName, when })}</Alert>
          <div className="flex flex-wrap gap-2">
            <ButtonLink to={`/appointments/${booked.id}`}>{t('booking.seeIt')}</ButtonLink>
            <Button variant="secondary" onClick={close}>
              {t('common.close')}
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={form.handleSubmit((v) => book.mutate(v))} noValidate className="space-y-2">
          <p>{t('booking.summary', { doctor: doctorName, when })}</p>
          <TextAreaField
            label={t('booking.reason')}
            hint={t('booking.reasonHint')}
            maxLength={255}
            error={reasonError && (reasonError.type === 'server' ? reasonError.message : t(`validation.${reasonError.message}`))}
            {...form.register('reason')}
          />
          {banner instanceof ApiError && banner.status === 409 ? (
            <Alert tone="error">{t('booking.taken')}</Alert>
          ) : (
            <ProblemAlert error={banner} />
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={book.isPending}>
              {t('booking.confirm')}
            </Button>
            <Button variant="secondary" onClick={close}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
