// The doctor area: calendar, schedule, patients (and one patient's record), reviews, reports.
export { DoctorCalendar } from './DoctorCalendar';
export { DoctorPatient } from './DoctorPatient';
export { DoctorPatients } from './DoctorPatients';
export { DoctorReports } from './DoctorReports';
export { DoctorReviews } from './DoctorReviews';
export { DoctorSchedule } from './DoctorSchedule';
