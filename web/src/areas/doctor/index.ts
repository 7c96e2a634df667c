// The doctor area (its screens are part 2: calendar, schedule, patients, reviews, reports).
export { DoctorHome } from './DoctorHome';
