// The schedule API's answers placed where the doctor acted: 422 field
// errors on their fields, 409 (the slot overlaps another one, or active
// appointments hold it) beside the row or form that asked, anything else
// in the form's banner.
import { ApiError } from '../../api/problem';

export const SLOT_FIELDS = ['day', 'specific_date', 'start', 'end'] as const;
export type SlotField = (typeof SLOT_FIELDS)[number];

export interface SlotProblem {
  fields: Partial<Record<SlotField, string>>;
  /** The 409's words: an overlap or a slot in use. */
  conflict?: string;
  /** What no field took (offline, 429, 5xx, an unnamed 422). */
  banner?: unknown;
}

export function slotProblem(error: unknown): SlotProblem {
  if (!error) return { fields: {} };
  if (!(error instanceof ApiError)) return { fields: {}, banner: error };
  if (error.status === 409) return { fields: {}, conflict: error.detail ?? error.title };
  const fields: SlotProblem['fields'] = {};
  for (const [name, messages] of Object.entries(error.fieldErrors)) {
    if ((SLOT_FIELDS as readonly string[]).includes(name)) fields[name as SlotField] = messages.join(' ');
  }
  return Object.keys(fields).length > 0 ? { fields } : { fields, banner: error };
}
