import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthCard } from '../components/AuthForm';
import { SignUpForm } from '../components/SignUpForm';
import { useAuth } from '../AuthContext';
import { safeNext } from '../../../utils/safeNext';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';

export default function SignUpPage() {
  useDocumentTitle('Create your account');
  const auth = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const carry = params.get('next') ? `?next=${encodeURIComponent(next)}` : '';

  if (auth.status === 'signed-in') return <Navigate to={next} replace />;

  if (auth.views) {
    const ClerkSignUp = auth.views.SignUp;
    return (
      <div className="flex justify-center px-4 py-12 sm:py-20">
        <ClerkSignUp redirectTo={next} />
      </div>
    );
  }

  return (
    <AuthCard
      title="Create your studio"
      subtitle="Free, private, yours. Your images stay on this server."
      footer={
        <>
          Already have an account?{' '}
          <Link
            to={`/sign-in${carry}`}
            className="font-medium text-brand-600 hover:underline dark:text-brand-400"
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm onSuccess={() => navigate(next, { replace: true })} />
    </AuthCard>
  );
}
