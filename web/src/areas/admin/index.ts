// The admin area (its screens are part 2: dashboard, applications, management, moderation, reports).
export { AdminHome } from './AdminHome';
