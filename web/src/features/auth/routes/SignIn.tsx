import { Link, Navigate } from 'react-router';
import { AuthCard } from '../components/AuthForm';
import { SignInForm } from '../components/SignInForm';
import { useAuth } from '../AuthContext';
import { useAuthRedirect } from '../hooks/useAuthRedirect';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';

export default function SignInPage() {
  useDocumentTitle('Sign in');
  const auth = useAuth();
  const { next, carry, done } = useAuthRedirect();

  if (auth.status === 'signed-in') return <Navigate to={next} replace />;

  if (auth.views) {
    const ClerkSignIn = auth.views.SignIn;
    return (
      <div className="flex justify-center px-4 py-12 sm:py-20">
        <ClerkSignIn redirectTo={next} />
      </div>
    );
  }

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Sign in to generate images and open your gallery."
      footer={
        <>
          New to PromptCanvas?{' '}
          <Link
            to={`/sign-up${carry}`}
            className="font-medium text-brand-600 hover:underline dark:text-brand-400"
          >
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm onSuccess={done} />
    </AuthCard>
  );
}
