import { CalendarDate, endOfMonth, today } from '@internationalized/date';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { q } from '../../api/queries';
import type { Appointment, DoctorDetail, FreeSlot } from '../../api/types';
import { Dialog, ProblemAlert, Button } from '../../ui';
import { SlotCalendar } from '../booking/SlotCalendar';

/** Picks another free slot of the same doctor; the API swaps them atomically. */
export function RescheduleDialog({
  appointment,
  doctor,
  zone,
  isOpen,
  onClose,
}: {
  appointment: Appointment;
  doctor: DoctorDetail;
  zone: string;
  isOpen: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const minDate = today(zone);
  const [month, setMonth] = useState<CalendarDate>(minDate.set({ day: 1 }));
  const [day, setDay] = useState<CalendarDate | null>(null);
  const from = month.compare(minDate) < 0 ? minDate : month;
  const slots = useQuery({ ...q.availability(doctor.id, from.toString(), endOfMonth(month).toString()), enabled: isOpen });
  const move = useMutation({
    mutationFn: (s: FreeSlot) =>
      post<Appointment>(`/api/v1/appointments/${appointment.id}/reschedule`, { schedule_id: s.schedule_id, date: s.date }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['appointments'] });
      void client.invalidateQueries({ queryKey: ['availability'] });
      onClose();
    },
  });
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t('appointment.rescheduleTitle')}>
      <SlotCalendar
        slots={slots.data ?? []}
        doctorName={doctor.name}
        doctorZone={doctor.timezone}
        viewerZone={zone}
        month={month}
        onMonthChange={setMonth}
        day={day}
        onDayChange={setDay}
        onPick={(s) => move.mutate(s)}
        minDate={minDate}
      />
      <div className="mt-3 space-y-2">
        <ProblemAlert error={move.error} />
        <Button variant="secondary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
    </Dialog>
  );
}
