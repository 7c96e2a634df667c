import { parseDate } from '@internationalized/date';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { FreeSlot } from '../../api/types';
import { SlotCalendar } from './SlotCalendar';

const slot = (date: string, start: string, start_at: string): FreeSlot => ({
  doctor_id: 7,
  schedule_id: 3,
  date,
  start,
  end: '',
  start_at,
  end_at: start_at,
});

function show(slots: FreeSlot[], day: string, viewerZone: string, doctorZone: string) {
  const onPick = vi.fn();
  render(
    <SlotCalendar
      slots={slots}
      doctorName="Dr Amal Idrissi"
      doctorZone={doctorZone}
      viewerZone={viewerZone}
      month={parseDate(day).set({ day: 1 })}
      onMonthChange={() => {}}
      day={parseDate(day)}
      onDayChange={() => {}}
      onPick={onPick}
      minDate={parseDate('2026-01-01')}
    />,
  );
  return onPick;
}

describe('the slot calendar', () => {
  it("shows the viewer's time with the doctor's clock beside it, and announces date, time and doctor", () => {
    // 09:00 in Paris (winter, UTC+1) is 08:00 UTC and 03:00 in New York.
    const onPick = show([slot('2026-01-15', '09:00', '2026-01-15T08:00:00Z')], '2026-01-15', 'America/New_York', 'Europe/Paris');
    const button = screen.getByRole('button', { name: /^Book Thursday, January 15, 2026 at 03:00 AM with Dr Amal Idrissi \(09:00 AM in Paris\)$/ });
    expect(button).toHaveTextContent('03:00 AM');
    expect(button).toHaveTextContent('09:00 AM in Paris');
    expect(screen.getByText(/Times in your zone \(New York\)/)).toBeInTheDocument();
    button.click();
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ start_at: '2026-01-15T08:00:00Z' }));
  });

  it('shows one clock when both zones agree', () => {
    show([slot('2026-01-15', '09:00', '2026-01-15T08:00:00Z')], '2026-01-15', 'Europe/Paris', 'Europe/Paris');
    const button = screen.getByRole('button', { name: 'Book Thursday, January 15, 2026 at 09:00 AM with Dr Amal Idrissi' });
    expect(button).not.toHaveTextContent('in Paris');
  });

  it('follows the zone database across the spring-forward day', () => {
    // Paris moves to UTC+2 on 29 March 2026: the same 09:00 slot is 08:00Z the day before, 07:00Z that day.
    const slots = [slot('2026-03-28', '09:00', '2026-03-28T08:00:00Z'), slot('2026-03-29', '09:00', '2026-03-29T07:00:00Z')];
    show(slots, '2026-03-29', 'UTC', 'Europe/Paris');
    expect(screen.getByRole('button', { name: /^Book Sunday, March 29, 2026 at 07:00 AM with .*\(09:00 AM in Paris\)$/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Book .*March 28/ })).toBeNull();
  });

  it('groups slots by the day on the viewer\'s clock, not the doctor\'s', () => {
    // 00:30 in Paris on the 16th is still the 15th in New York.
    show([slot('2026-01-16', '00:30', '2026-01-15T23:30:00Z')], '2026-01-15', 'America/New_York', 'Europe/Paris');
    expect(screen.getByRole('button', { name: /^Book Thursday, January 15, 2026 at 06:30 PM .*\(12:30 AM in Paris\)$/ })).toBeInTheDocument();
  });

  it('lets arrow keys walk the month (focus does not snap back to the 1st)', async () => {
    const user = userEvent.setup();
    const onMonthChange = vi.fn();
    render(
      <SlotCalendar
        slots={[slot('2026-01-03', '09:00', '2026-01-03T08:00:00Z')]}
        doctorName="Dr Amal Idrissi"
        doctorZone="Europe/Paris"
        viewerZone="Europe/Paris"
        month={parseDate('2026-01-01')}
        onMonthChange={onMonthChange}
        day={null}
        onDayChange={() => {}}
        onPick={() => {}}
        minDate={parseDate('2026-01-01')}
      />,
    );
    screen.getByRole('button', { name: /January 1, 2026/ }).focus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(document.activeElement).toHaveAccessibleName(/January 3, 2026/);
    expect(onMonthChange).not.toHaveBeenCalled();
  });
});
