// The admin area: dashboard, applications, moderation, doctors, users, specialties.
export { AdminApplications } from './AdminApplications';
export { AdminDoctors } from './AdminDoctors';
export { AdminHome } from './AdminHome';
export { AdminModeration } from './AdminModeration';
export { AdminSpecialties } from './AdminSpecialties';
export { AdminUsers } from './AdminUsers';
