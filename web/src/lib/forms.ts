// problem+json validation errors placed on the form fields they name.
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/problem';

/**
 * Puts each of the API's field errors on its field (`address.city` maps to
 * the nested field); returns the error when no field took it, for a banner.
 */
export function applyProblem<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): unknown {
  if (!(error instanceof ApiError)) return error;
  let placed = false;
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    if (fields.includes(field)) {
      setError(field as Path<T>, { type: 'server', message: messages.join(' ') });
      placed = true;
    }
  }
  return placed ? null : error;
}

/** The words for one field's error: the API's own, or a translated client check. */
export function errorText(t: (k: string) => string, e: { type?: unknown; message?: string } | undefined): string | undefined {
  if (!e?.message) return undefined;
  return e.type === 'server' ? e.message : t(`validation.${e.message}`);
}
