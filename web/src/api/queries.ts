// Server state: query keys and fetchers, one place for every screen.
import { queryOptions } from '@tanstack/react-query';
import { get } from './client';
import type {
  AccessEntry,
  AdminUser,
  DoctorApplication,
  ModeratedRating,
  Appointment,
  DoctorDetail,
  DoctorSummary,
  FreeSlot,
  HistoryEntry,
  Insurance,
  Me,
  Notification,
  NotificationPreferences,
  OwnRating,
  Page,
  PatientPreferences,
  PatientProfile,
  PublicRating,
  RatingSummary,
  Schedule,
  Specialty,
} from './types';

export interface DoctorFilters {
  specialty_id?: string;
  city?: string;
  name?: string;
  min_rating?: string;
  sort?: string;
  page?: string;
}

export const q = {
  specialties: () =>
    queryOptions({ queryKey: ['specialties'], queryFn: () => get<Specialty[]>('/api/v1/specialties'), staleTime: 300_000 }),
  doctors: (f: DoctorFilters) =>
    queryOptions({
      queryKey: ['doctors', f],
      queryFn: () => get<Page<DoctorSummary>>('/api/v1/doctors', { ...f, per_page: 12 }),
    }),
  doctor: (id: number) =>
    queryOptions({ queryKey: ['doctor', id], queryFn: () => get<DoctorDetail>(`/api/v1/doctors/${id}`), staleTime: 60_000 }),
  availability: (doctorId: number, from: string, to: string) =>
    queryOptions({
      queryKey: ['availability', doctorId, from, to],
      queryFn: () => get<FreeSlot[]>('/api/v1/availability', { doctor_id: doctorId, from, to }),
    }),
  ratingSummary: (doctorId: number) =>
    queryOptions({
      queryKey: ['ratings', 'summary', doctorId],
      queryFn: () => get<RatingSummary>('/api/v1/ratings/summary', { doctor_id: doctorId }),
    }),
  ratings: (doctorId: number) =>
    queryOptions({
      queryKey: ['ratings', doctorId],
      queryFn: () => get<Page<PublicRating>>('/api/v1/ratings', { doctor_id: doctorId, per_page: 10 }),
    }),
  myRatings: () =>
    queryOptions({ queryKey: ['ratings', 'mine'], queryFn: () => get<Page<OwnRating>>('/api/v1/ratings', { mine: true, per_page: 100 }) }),
  appointments: () =>
    queryOptions({
      queryKey: ['appointments'],
      queryFn: () => get<Page<Appointment>>('/api/v1/appointments', { per_page: 100 }),
    }),
  appointment: (id: number) =>
    queryOptions({ queryKey: ['appointments', id], queryFn: () => get<Appointment>(`/api/v1/appointments/${id}`) }),
  /** A doctor's appointments whose date (on the doctor's clock) is within `from`..`to`. */
  doctorAppointments: (from: string, to: string) =>
    queryOptions({
      queryKey: ['appointments', 'range', from, to],
      queryFn: () => allPages<Appointment>('/api/v1/appointments', { from, to }),
    }),
  doctorMe: () =>
    queryOptions({ queryKey: ['doctor', 'me'], queryFn: () => get<DoctorDetail>('/api/v1/doctors/me'), staleTime: 300_000 }),
  patientById: (id: number) =>
    queryOptions({ queryKey: ['patient', 'byId', id], queryFn: () => get<PatientProfile>(`/api/v1/patients/${id}`), staleTime: 300_000 }),
  schedules: (doctorId: number) =>
    queryOptions({ queryKey: ['schedules', doctorId], queryFn: () => get<Schedule[]>('/api/v1/schedules', { doctor_id: doctorId }) }),
  applications: (status: string, page: number) =>
    queryOptions({
      queryKey: ['admin', 'applications', status, page],
      queryFn: () => get<Page<DoctorApplication>>('/api/v1/doctor-applications', { status, page, per_page: 20 }),
    }),
  moderation: (page: number) =>
    queryOptions({
      queryKey: ['admin', 'moderation', page],
      queryFn: () => get<Page<ModeratedRating>>('/api/v1/ratings/moderation', { page, per_page: 20 }),
    }),
  users: (f: { role: string; q: string; page: number }) =>
    queryOptions({
      queryKey: ['admin', 'users', f],
      queryFn: () => get<Page<AdminUser>>('/api/v1/admin/users', { ...f, per_page: 20 }),
    }),
  /** How many rows a list holds, read from its `total` (one row fetched): the dashboard's figures. */
  total: (path: string, query: Record<string, string>) =>
    queryOptions({
      queryKey: ['admin', 'total', path, query],
      queryFn: async () => (await get<Page<unknown>>(path, { ...query, per_page: 1 })).total,
    }),
  me: () => queryOptions({ queryKey: ['me'], queryFn: () => get<Me>('/api/v1/auth/me') }),
  patient: () => queryOptions({ queryKey: ['patient'], queryFn: () => get<PatientProfile>('/api/v1/patients/me') }),
  patientPreferences: () =>
    queryOptions({
      queryKey: ['patient', 'preferences'],
      queryFn: () => get<PatientPreferences>('/api/v1/patients/me/preferences'),
      staleTime: 300_000,
    }),
  insurance: () =>
    queryOptions({ queryKey: ['patient', 'insurance'], queryFn: () => get<Insurance | null>('/api/v1/patients/me/insurance') }),
  history: (patientId: number) =>
    queryOptions({
      queryKey: ['patient', 'history', patientId],
      queryFn: () => get<Page<HistoryEntry>>(`/api/v1/patients/${patientId}/medical-history`, { per_page: 100 }),
    }),
  accessLog: () =>
    queryOptions({
      queryKey: ['patient', 'access-log'],
      queryFn: () => get<Page<AccessEntry>>('/api/v1/patients/me/access-log', { per_page: 50 }),
    }),
  notificationPreferences: () =>
    queryOptions({
      queryKey: ['notifications', 'preferences'],
      queryFn: () => get<NotificationPreferences>('/api/v1/notifications/preferences'),
    }),
  notifications: () =>
    queryOptions({
      queryKey: ['notifications', 'list'],
      queryFn: () => get<Page<Notification>>('/api/v1/notifications', { per_page: 50 }),
    }),
  unread: () =>
    queryOptions({
      queryKey: ['notifications', 'unread'],
      queryFn: () => get<Page<Notification>>('/api/v1/notifications', { unread: true, per_page: 1 }),
    }),
};

/**
 * Every row of a bounded list (a calendar's week, never a whole table):
 * pages of the API's maximum size until `total` is reached.
 */
async function allPages<T>(path: string, query: Record<string, string | number>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page += 1) {
    const p = await get<Page<T>>(path, { ...query, page, per_page: 100 });
    rows.push(...p.data);
    if (p.data.length === 0 || rows.length >= p.total) return rows;
  }
}

export const policy = () =>
  queryOptions({
    queryKey: ['appointments', 'policy'],
    queryFn: () => get<{ cancellation_deadline_minutes: number }>('/api/v1/appointments/policy'),
    staleTime: Infinity,
  });
