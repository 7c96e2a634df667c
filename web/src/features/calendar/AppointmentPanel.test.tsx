import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../api/types';
import { installFakeApi, json, problem, type FakeApi } from '../../test/fakeApi';
import { renderWith } from '../../test/render';
import { AppointmentPanel } from './AppointmentPanel';

const pending: Appointment = {
  id: 12,
  status: 'pending',
  patient_id: 41,
  doctor_id: 7,
  schedule_id: 3,
  date: '2030-03-23',
  start_at: '2030-03-23T09:00:00Z',
  end_at: '2030-03-23T09:30:00Z',
  reason: 'Chest pain',
  doctor_comment: null,
  cancel_reason: null,
  created_at: '2030-03-01T00:00:00Z',
};

describe("the doctor's appointment panel", () => {
  let api: FakeApi;
  beforeEach(() => {
    api = installFakeApi();
    api.on('GET', '/api/v1/patients/41', () => json({ id: 41, name: 'Amina Benali' }));
    // Like the API: the appointment reads as the last transition left it.
    api.on('GET', '/api/v1/appointments/12', () =>
      json(api.calls.some((c) => c.path.endsWith('/approve')) ? { ...pending, status: 'approved' } : pending),
    );
  });

  it('names the patient, approves, and then offers the next steps', async () => {
    const user = userEvent.setup();
    api.on('POST', '/api/v1/appointments/12/approve', () => json({ ...pending, status: 'approved' }));
    renderWith(<AppointmentPanel appointment={pending} zone="UTC" clock={new Map([[3, { start: '09:00', end: '09:30' }]])} onClose={() => {}} />);
    expect(await screen.findByRole('heading', { name: 'Amina Benali' })).toBeInTheDocument();
    expect(screen.getByText('Chest pain')).toBeInTheDocument();
    expect(screen.getByText(/Saturday, March 23, 2030, 09:00 AM–09:30 AM/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Record and medical history' })).toHaveAttribute('href', '/doctor/patients/41');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByRole('button', { name: 'Mark completed…' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Check in (home visit)' })).toBeInTheDocument();
  });

  it('cancels with the reason typed, and shows a refusal in the panel', async () => {
    const user = userEvent.setup();
    api.on('POST', '/api/v1/appointments/12/cancel', () => problem(409, 'the appointment is no longer active'));
    renderWith(<AppointmentPanel appointment={pending} zone="UTC" clock={new Map([[3, { start: '09:00', end: '09:30' }]])} onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Cancel…' }));
    await user.type(screen.getByLabelText('Reason (sent to the patient)'), 'Away at a conference');
    await user.click(screen.getByRole('button', { name: 'Cancel the appointment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the appointment is no longer active');
    expect(api.calls.at(-1)).toMatchObject({ path: '/api/v1/appointments/12/cancel', body: { reason: 'Away at a conference' } });
  });
});
