// Client-side checks mirroring the API's validation (auth, patient); the
// messages are i18n keys under `validation.`.
import { z } from 'zod';

export const email = z.string().trim().min(1, 'required').max(255, 'tooLong').email('email');
export const password = z.string().min(8, 'password').max(128, 'password');
export const name = z.string().trim().min(1, 'required').max(255, 'tooLong');
export const phone = z
  .string()
  .trim()
  .regex(/^[0-9 +\-()]{7,32}$/, 'phone')
  .refine((p) => {
    const digits = p.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 20;
  }, 'phone');
export const gender = z.enum(['male', 'female'], { message: 'required' });
export const birthDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'birthDate')
  .refine((d) => d >= '1900-01-01' && d < new Date().toISOString().slice(0, 10), 'birthDate');
export const cin = z.string().trim().regex(/^[A-Za-z0-9]{3,20}$/, 'cin');
export const address = z.object({ street: name, city: name });

export const registration = z.object({ name, email, password, gender, phone, cin, birth_date: birthDate, address });
export type Registration = z.infer<typeof registration>;
export const REGISTRATION_FIELDS = [
  'name',
  'email',
  'password',
  'gender',
  'phone',
  'cin',
  'birth_date',
  'address.street',
  'address.city',
] as const;
