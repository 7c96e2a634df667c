// The public area: search, doctor pages, sign-in and sign-up flows.
export { Apply } from './Apply';
export { DoctorPage } from './DoctorPage';
export { Doctors } from './Doctors';
export { ForgotPassword, ResetPassword } from './PasswordReset';
export { Home } from './Home';
export { Login } from './Login';
export { NotFound } from './NotFound';
export { Register, RegisterDoctor } from './Register';
