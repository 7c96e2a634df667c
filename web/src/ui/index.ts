// The shared UI components every area builds with.
export { Alert, ProblemAlert } from './Alert';
export { Button, ButtonLink } from './Button';
export { Card } from './Card';
export { Dialog } from './Dialog';
export { Field, SelectField, TextAreaField } from './Field';
export { PageTitle } from './PageTitle';
export { Spinner, QueryState } from './Spinner';
export { Stars } from './Stars';
