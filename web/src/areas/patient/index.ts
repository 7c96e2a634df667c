// The patient area: appointments, notifications, profile.
export { AppointmentPage } from './AppointmentPage';
export { Appointments } from './Appointments';
export { Notifications } from './Notifications';
export { Profile } from './Profile';
