import { useQuery } from '@tanstack/react-query';
import { q } from '../api/queries';
import { useSession } from '../session/SessionContext';
import { browserZone } from './time';

/** The viewer's time zone: a patient's chosen zone, else the browser's. */
export function useViewerZone(): string {
  const { user } = useSession();
  const prefs = useQuery({ ...q.patientPreferences(), enabled: user?.role === 'patient' });
  return prefs.data?.timezone ?? browserZone();
}
