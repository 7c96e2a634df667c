import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { Appointment } from '../../api/types';
import { Button, Dialog, ProblemAlert, TextAreaField } from '../../ui';

export function CancelDialog({ appointment, isOpen, onClose }: { appointment: Appointment; isOpen: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const cancel = useMutation({
    mutationFn: () => post<Appointment>(`/api/v1/appointments/${appointment.id}/cancel`, reason.trim() ? { reason: reason.trim() } : {}),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['appointments'] });
      onClose();
    },
  });
  return (
    <Dialog isOpen={isOpen} onClose={onClose} title={t('appointment.cancelTitle')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          cancel.mutate();
        }}
        className="space-y-2"
      >
        <TextAreaField label={t('appointment.cancelReason')} maxLength={255} value={reason} onChange={(e) => setReason(e.target.value)} />
        <ProblemAlert error={cancel.error} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="danger" disabled={cancel.isPending}>
            {t('appointment.cancelConfirm')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('appointment.keep')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
