import { useNavigate, useSearchParams } from 'react-router';
import { safeNext } from '../../../utils/safeNext';

/**
 * Where sign-in and sign-up lead once done: the page the visitor was sent
 * away from (`?next=`, only ever a path on this site), carried along when
 * they switch between the two forms.
 */
export function useAuthRedirect() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  return {
    next,
    /** `?next=…` for the link to the other form, or nothing. */
    carry: params.get('next') ? `?next=${encodeURIComponent(next)}` : '',
    done: () => navigate(next, { replace: true }),
  };
}
