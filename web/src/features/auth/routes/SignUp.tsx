import { Link, Navigate } from 'react-router';
import { AuthCard } from '../components/AuthForm';
import { SignUpForm } from '../components/SignUpForm';
import { useAuth } from '../AuthContext';
import { useAuthRedirect } from '../hooks/useAuthRedirect';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';

export default function SignUpPage() {
  useDocumentTitle('Create your account');
  const auth = useAuth();
  const { next, carry, done } = useAuthRedirect();

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
      <SignUpForm onSuccess={done} />
    </AuthCard>
  );
}
