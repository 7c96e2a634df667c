// The API names weekly slots by English day name; people read their own.
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** "Monday" → "lundi" / "الاثنين" (1 January 2024 was a Monday). */
export function weekdayName(day: string, locale: string): string {
  const i = WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]);
  if (i < 0) return day;
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + i)));
}
