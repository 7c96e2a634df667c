import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { formatMonth, formatNumber, formatShare } from '../lib/numbers';
import { BarChart, Stat } from './BarChart';

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe("the dashboard's numbers", () => {
  it("are written the reader's way", () => {
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'fr')).toBe('12\u202f345');
    expect(formatShare(1, 8, 'en')).toBe('12.5%');
    expect(formatShare(1, 8, 'fr')).toBe('12,5\u00a0%');
    expect(formatShare(3, 0, 'en')).toBe('0%');
    expect(formatMonth('2026-03', 'fr')).toBe('mars 2026');
    expect(formatMonth('2026-03', 'ar')).toMatch(/مارس/);
  });

  it('show a figure in the current language', async () => {
    await i18n.changeLanguage('fr');
    render(
      <dl>
        <Stat label="Rendez-vous" value={1234567} testId="n" />
      </dl>,
    );
    expect(screen.getByTestId('n').textContent).toBe('1\u202f234\u202f567');
  });

  it('give every chart a table with the same numbers, and hide the bars from screen readers', async () => {
    const user = userEvent.setup();
    render(<BarChart title="By status" unit="Appointments" bars={[{ label: 'Pending', value: 1500 }, { label: 'Completed', value: 500 }]} />);
    const figure = screen.getByRole('figure', { name: 'By status' });
    await user.click(within(figure).getByText('Show as a table'));
    const table = within(figure).getByRole('table', { name: 'By status' });
    const pending = within(table).getByRole('row', { name: /Pending/ });
    expect(pending).toHaveTextContent('1,500');
    expect(pending).toHaveTextContent('75%');
    expect(figure.querySelector('[aria-hidden="true"]')).toHaveTextContent('1,500');
  });
});
