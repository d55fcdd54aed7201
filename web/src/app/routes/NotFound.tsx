import { Compass } from 'lucide-react';
import { Link } from 'react-router';
import { buttonClasses } from '../../components/ui/buttonStyles';
import { EmptyState } from '../../components/ui/EmptyState';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

export default function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="mx-auto max-w-2xl px-4 py-16 sm:px-6">
      <h1 className="sr-only">Page not found</h1>
      <EmptyState
        icon={<Compass className="size-7" aria-hidden="true" />}
        title="This page wandered off the canvas"
        action={
          <div className="flex flex-wrap justify-center gap-2">
            <Link to="/" className={buttonClasses('secondary', 'md')}>
              Go home
            </Link>
            <Link to="/generate" className={buttonClasses('primary', 'md')}>
              Generate an image
            </Link>
          </div>
        }
      >
        We couldn’t find that page. Check the address, or head back somewhere familiar.
      </EmptyState>
    </div>
  );
}
