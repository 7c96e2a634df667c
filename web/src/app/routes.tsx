// The URL map of web.md. Each area (public, patient, doctor, admin) is its
// own chunk, loaded when one of its screens is first opened.
import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout } from './Layout';
import { RequireRole } from './RequireRole';
import { RouteError } from './RouteError';

const publicArea = () => import('../areas/public');
const patientArea = () => import('../areas/patient');
const doctorArea = () => import('../areas/doctor');
const adminArea = () => import('../areas/admin');

type Area = Record<string, React.ComponentType>;
function screen(load: () => Promise<Area>, name: string): RouteObject['lazy'] {
  return async () => ({ Component: (await load())[name] });
}

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, lazy: screen(publicArea, 'Home') },
      { path: 'doctors', lazy: screen(publicArea, 'Doctors') },
      { path: 'doctors/:id', lazy: screen(publicArea, 'DoctorPage') },
      { path: 'login', lazy: screen(publicArea, 'Login') },
      { path: 'register', lazy: screen(publicArea, 'Register') },
      { path: 'forgot-password', lazy: screen(publicArea, 'ForgotPassword') },
      { path: 'reset-password', lazy: screen(publicArea, 'ResetPassword') },
      { path: 'apply', lazy: screen(publicArea, 'Apply') },
      { path: 'register/doctor', lazy: screen(publicArea, 'RegisterDoctor') },
      {
        element: <RequireRole roles={['patient']} />,
        children: [
          { path: 'appointments', lazy: screen(patientArea, 'Appointments') },
          { path: 'appointments/:id', lazy: screen(patientArea, 'AppointmentPage') },
        ],
      },
      {
        element: <RequireRole roles={['patient', 'doctor', 'admin']} />,
        children: [
          { path: 'notifications', lazy: screen(patientArea, 'Notifications') },
          { path: 'profile', lazy: screen(patientArea, 'Profile') },
        ],
      },
      {
        element: <RequireRole roles={['doctor']} />,
        children: [
          { path: 'doctor', lazy: screen(doctorArea, 'DoctorCalendar') },
          { path: 'doctor/schedule', lazy: screen(doctorArea, 'DoctorSchedule') },
          { path: 'doctor/patients', lazy: screen(doctorArea, 'DoctorPatients') },
          { path: 'doctor/patients/:id', lazy: screen(doctorArea, 'DoctorPatient') },
          { path: 'doctor/reviews', lazy: screen(doctorArea, 'DoctorReviews') },
          { path: 'doctor/reports', lazy: screen(doctorArea, 'DoctorReports') },
        ],
      },
      {
        element: <RequireRole roles={['admin']} />,
        children: [
          { path: 'admin', lazy: screen(adminArea, 'AdminHome') },
          { path: 'admin/applications', lazy: screen(adminArea, 'AdminApplications') },
          { path: 'admin/moderation', lazy: screen(adminArea, 'AdminModeration') },
          { path: 'admin/doctors', lazy: screen(adminArea, 'AdminDoctors') },
          { path: 'admin/users', lazy: screen(adminArea, 'AdminUsers') },
          { path: 'admin/specialties', lazy: screen(adminArea, 'AdminSpecialties') },
          { path: 'admin/patients', lazy: screen(adminArea, 'AdminPatients') },
          { path: 'admin/deliveries', lazy: screen(adminArea, 'AdminDeliveries') },
          { path: 'admin/templates', lazy: screen(adminArea, 'AdminTemplates') },
          { path: 'admin/reports', lazy: screen(adminArea, 'AdminReports') },
        ],
      },
      { path: '*', lazy: screen(publicArea, 'NotFound') },
    ],
  },
];

export const router = createBrowserRouter(routes);
