// The admin area: dashboard, applications, moderation, management, deliveries, templates, reports.
export { AdminApplications } from './AdminApplications';
export { AdminDeliveries } from './AdminDeliveries';
export { AdminDoctors } from './AdminDoctors';
export { AdminHome } from './AdminHome';
export { AdminModeration } from './AdminModeration';
export { AdminPatients } from './AdminPatients';
export { AdminReports } from './AdminReports';
export { AdminSpecialties } from './AdminSpecialties';
export { AdminTemplates } from './AdminTemplates';
export { AdminUsers } from './AdminUsers';
