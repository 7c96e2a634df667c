// The schedule editor shows the API's answers where the doctor acted:
// 422 field errors on their field, a 409 overlap on the form, a 409 "in
// use" on the row that was to be deleted, a 503 as "try again in".
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/problem';
import { installFakeApi, json, problem, type FakeApi } from '../../test/fakeApi';
import { renderWith } from '../../test/render';
import { SlotForm } from './SlotForm';
import { SlotList } from './SlotList';
import { slotProblem } from './slotProblem';

const weekly = { id: 5, doctor_id: 7, day: 'Tuesday', specific_date: null, start: '09:00', end: '09:30' };
const oneOff = { id: 6, doctor_id: 7, day: null, specific_date: '2026-04-02', start: '14:00', end: '14:30' };

describe('slotProblem', () => {
  it('sorts an answer into fields, conflict and banner', () => {
    expect(slotProblem(new ApiError(422, 'Invalid', 'bad', { start: ['must be HH:MM'], other: ['x'] }))).toEqual({
      fields: { start: 'must be HH:MM' },
    });
    expect(slotProblem(new ApiError(409, 'Conflict', 'the slot overlaps another slot of this doctor'))).toEqual({
      fields: {},
      conflict: 'the slot overlaps another slot of this doctor',
    });
    const unnamed = new ApiError(422, 'Invalid', 'unnamed', { doctor_id: ['unknown doctor'] });
    expect(slotProblem(unnamed)).toEqual({ fields: {}, banner: unnamed });
    expect(slotProblem(null)).toEqual({ fields: {} });
  });
});

describe('the schedule editor', () => {
  let api: FakeApi;
  beforeEach(() => {
    api = installFakeApi();
  });

  it("puts a 422 on its field and a 409 overlap on the form, and sends the API's shape", async () => {
    const user = userEvent.setup();
    api.on('POST', '/api/v1/schedules', ({ body }) =>
      (body as { end?: string }).end === '08:00'
        ? problem(422, 'invalid', { end: ['must be after start, on the same day'] })
        : problem(409, 'the slot overlaps another slot of this doctor'),
    );
    renderWith(<SlotForm />);
    await user.selectOptions(screen.getByLabelText('Day'), 'Wednesday');
    await user.type(screen.getByLabelText('End'), '08:00');
    await user.click(screen.getByRole('button', { name: 'Add the slot' }));
    const end = screen.getByLabelText('End');
    expect(await screen.findByText('must be after start, on the same day')).toBeInTheDocument();
    expect(end).toHaveAttribute('aria-invalid', 'true');
    expect(api.calls.at(-1)?.body).toEqual({ day: 'Wednesday', start: '09:00', end: '08:00' });

    await user.clear(end);
    await user.type(end, '10:00');
    await user.click(screen.getByRole('button', { name: 'Add the slot' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not saved: the slot overlaps another slot of this doctor');
    expect(end).not.toHaveAttribute('aria-invalid');
  });

  it('sends a one-off slot with its date', async () => {
    const user = userEvent.setup();
    api.on('POST', '/api/v1/schedules', () => json({ ...oneOff, id: 9 }, 201));
    renderWith(<SlotForm />);
    await user.click(screen.getByLabelText('Once'));
    await user.type(screen.getByLabelText('Date'), '2026-04-02');
    await user.click(screen.getByRole('button', { name: 'Add the slot' }));
    expect(await screen.findByText('Slot added.')).toBeInTheDocument();
    expect(api.calls.at(-1)?.body).toEqual({ specific_date: '2026-04-02', start: '09:00' });
  });

  it('explains a refused delete on the row, and a 503 as when to retry', async () => {
    const user = userEvent.setup();
    api.on('DELETE', '/api/v1/schedules/5', () => problem(409, 'the slot has active appointments'));
    api.on('DELETE', '/api/v1/schedules/6', () =>
      json({ type: 'about:blank', title: 'busy', status: 503 }, 503, { 'Retry-After': '7' }),
    );
    renderWith(<SlotList slots={[oneOff, weekly]} />);
    const [first, second] = screen.getAllByTestId('slot-row');
    expect(first).toHaveTextContent('Tuesday'); // weekly rows first
    await user.click(within(first).getByRole('button', { name: /^Delete Tuesday 09:00–09:30$/ }));
    expect(await within(first).findByRole('alert')).toHaveTextContent('Not deleted: the slot has active appointments');
    expect(within(second).queryByRole('alert')).toBeNull();
    await user.click(within(second).getByRole('button', { name: /^Delete Thursday, April 2, 2026/ }));
    expect(await within(second).findByRole('status')).toHaveTextContent('7');
  });

  it('edits a slot in place with PATCH', async () => {
    const user = userEvent.setup();
    api.on('PATCH', '/api/v1/schedules/5', () => problem(409, 'the slot has active appointments; reschedule or cancel them first'));
    renderWith(<SlotList slots={[weekly]} />);
    await user.click(screen.getByRole('button', { name: /^Edit Tuesday/ }));
    const start = screen.getByLabelText('Start');
    await user.clear(start);
    await user.type(start, '11:00');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('reschedule or cancel them first');
    expect(api.calls.at(-1)).toMatchObject({ method: 'PATCH', body: { day: 'Tuesday', start: '11:00', end: '09:30' } });
  });
});
