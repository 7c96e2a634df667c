// The shared UI components every area builds with. (The shell imports the
// files directly, so that the dialog and its React Aria code stay out of
// the first-load chunk.)
export { Alert, ProblemAlert } from './Alert';
export { BarChart, Stat, type Bar } from './BarChart';
export { Button, ButtonLink } from './Button';
export { Card } from './Card';
export { Dialog } from './Dialog';
export { Field, SelectField, TextAreaField } from './Field';
export { PageTitle } from './PageTitle';
export { Pager } from './Pager';
export { SectionCard } from './SectionCard';
export { Spinner, QueryState } from './Spinner';
export { Stars } from './Stars';
