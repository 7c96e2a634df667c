// The doctor area: the calendar of appointments, the schedule editor, a patient's record.
export { DoctorCalendar } from './DoctorCalendar';
export { DoctorPatient } from './DoctorPatient';
export { DoctorSchedule } from './DoctorSchedule';
