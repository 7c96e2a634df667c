// The fields of an account, validated as the API does: every person's
// (patient and doctor registration, an admin creating a doctor) and a
// doctor's degree and specialty.
import { useQuery } from '@tanstack/react-query';
import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { q } from '../../api/queries';
import { errorText } from '../../lib/forms';
import * as s from '../../lib/schemas';
import { Field, SelectField } from '../../ui';

export const person = z.object({
  name: s.name,
  email: s.email,
  password: s.password,
  gender: s.gender,
  phone: s.phone,
  birth_date: s.birthDate,
  address: s.address,
});
export type Person = z.infer<typeof person>;

/** The fields every account has, shared by patient and doctor registration. */
export function PersonFields({ register, errors }: { register: UseFormRegister<Person>; errors: FieldErrors<Person> }) {
  const { t } = useTranslation();
  return (
    <div className="grid gap-x-3 sm:grid-cols-2">
      <Field label={t('field.name')} autoComplete="name" error={errorText(t, errors.name)} {...register('name')} />
      <Field label={t('field.email')} type="email" autoComplete="email" error={errorText(t, errors.email)} {...register('email')} />
      <Field
        label={t('field.password')}
        type="password"
        autoComplete="new-password"
        hint={t('field.passwordHint')}
        error={errorText(t, errors.password)}
        {...register('password')}
      />
      <SelectField label={t('field.gender')} error={errorText(t, errors.gender)} defaultValue="" {...register('gender')}>
        <option value="" disabled>
          {t('field.choose')}
        </option>
        <option value="female">{t('field.female')}</option>
        <option value="male">{t('field.male')}</option>
      </SelectField>
      <Field label={t('field.phone')} type="tel" autoComplete="tel" error={errorText(t, errors.phone)} {...register('phone')} />
      <Field label={t('field.birthDate')} type="date" autoComplete="bday" error={errorText(t, errors.birth_date)} {...register('birth_date')} />
      <Field label={t('field.street')} autoComplete="street-address" error={errorText(t, errors.address?.street)} {...register('address.street')} />
      <Field label={t('field.city')} autoComplete="address-level2" error={errorText(t, errors.address?.city)} {...register('address.city')} />
    </div>
  );
}

export const doctorSchema = person.extend({
  degree: s.name,
  specialty_id: z.coerce.number<string>().int().positive('required'),
});
export type DoctorValues = z.infer<typeof doctorSchema>;
export const DOCTOR_FIELDS = [...s.REGISTRATION_FIELDS, 'degree', 'specialty_id'];

type DoctorForm = z.input<typeof doctorSchema>;

/** Degree and specialty (the list of specialties comes from the API). */
export function DoctorFields({ register, errors }: { register: UseFormRegister<DoctorForm>; errors: FieldErrors<DoctorForm> }) {
  const { t } = useTranslation();
  const specialties = useQuery(q.specialties());
  return (
    <div className="grid gap-x-3 sm:grid-cols-2">
      <Field label={t('field.degree')} error={errorText(t, errors.degree)} {...register('degree')} />
      <SelectField label={t('field.specialty')} defaultValue="" error={errorText(t, errors.specialty_id)} {...register('specialty_id')}>
        <option value="" disabled>
          {t('field.choose')}
        </option>
        {specialties.data?.map((sp) => (
          <option key={sp.id} value={sp.id}>
            {sp.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
