// Shapes of the public API (api.md) the web app reads.

export type Role = 'patient' | 'doctor' | 'admin';

export interface UserSummary {
  id: number;
  name: string;
  email: string;
  role: Role;
}

export interface Session {
  user: UserSummary;
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface Me extends UserSummary {
  gender: string;
  phone: string;
  img_url: string | null;
}

export interface Page<T> {
  data: T[];
  page: number;
  per_page: number;
  total: number;
}

export interface Specialty {
  id: number;
  name: string;
  doctor_count: number;
}

export interface DoctorSummary {
  id: number;
  user_id: number;
  name: string;
  specialty: { id: number; name: string };
  degree: string;
  city: string | null;
  avg_rating: number;
  rating_count: number;
  img_url: string | null;
}

export interface DoctorDetail extends DoctorSummary {
  bio: string | null;
  languages: string[];
  status: string;
  timezone: string;
}

export interface FreeSlot {
  doctor_id: number;
  schedule_id: number;
  date: string;
  start: string;
  end: string;
  start_at: string;
  end_at: string;
}

export type AppointmentStatus = 'pending' | 'approved' | 'completed' | 'cancelled' | 'no_show' | 'expired';

export interface Appointment {
  id: number;
  status: AppointmentStatus;
  patient_id: number;
  doctor_id: number;
  schedule_id: number;
  date: string;
  start_at: string;
  end_at: string;
  reason: string;
  doctor_comment: string | null;
  cancel_reason: string | null;
  /** Home visits: set by check-in and check-out; check-out records the travel time. */
  check_in_time?: string | null;
  check_out_time?: string | null;
  travel_time_minutes?: number | null;
  /** Added to api.md: when the patient said they could come, in their words. */
  patient_availability?: string | null;
  created_at: string;
}

/** A bookable slot: weekly rows have `day` (Monday … Sunday), one-off rows `specific_date`. */
export interface Schedule {
  id: number;
  doctor_id: number;
  day: string | null;
  specific_date: string | null;
  /** `HH:MM` on the doctor's clock. */
  start: string;
  end: string;
}

export interface RatingSummary {
  doctor_id: number;
  average: number;
  count: number;
  distribution: Record<string, number>;
}

export interface PublicRating {
  id: number;
  doctor_id: number;
  rating: number;
  comment: string | null;
  created_at: string;
}

export interface OwnRating extends PublicRating {
  status: string;
}

export interface Notification {
  id: number;
  title: string;
  message: string;
  is_read: boolean;
  created_at: string;
}

export interface PatientProfile {
  id: number;
  user_id: number;
  name: string;
  email: string;
  cin: string;
  birth_date: string;
  gender: string;
  phone: string;
  address: { street: string; city: string } | null;
}

export interface PatientPreferences {
  language: string;
  timezone: string;
}

export interface NotificationPreferences {
  email: boolean;
  sms: boolean;
  in_app: boolean;
  reminder_hours_before: number;
}

export interface Insurance {
  provider: string;
  policy_number: string;
  member_name?: string | null;
  valid_until?: string | null;
}

export interface HistoryEntry {
  id: number;
  kind: string;
  description: string;
  recorded_at: string;
  recorded_by: number;
}

export interface AccessEntry {
  at: string;
  actor_user_id: number;
  actor_role: string;
  action: string;
  resource: string;
}

export interface DoctorApplication {
  id: number;
  name: string;
  email: string;
  details: string;
  status: 'pending' | 'approved' | 'rejected';
  cv_content_type: string;
  reject_reason: string | null;
  /** When the current registration link stops working (approved ones). */
  token_expires_at: string | null;
  token_used: boolean;
  created_at: string;
}

export interface ModeratedRating {
  id: number;
  patient_id: number;
  doctor_id: number;
  rating: number;
  comment: string | null;
  status: string;
  hold_reason: string | null;
  report_count: number;
  moderated_at: string | null;
  created_at: string;
  reports: { reason: string; created_at: string }[];
}

export interface AdminUser extends Me {
  created_at: string;
  /** Disabled accounts cannot sign in or refresh. */
  disabled: boolean;
}
