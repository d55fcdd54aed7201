import type { ReactNode } from 'react';
import { Card } from '../../../components/ui/Card';

export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <div className="relative mx-auto flex w-full max-w-md flex-col px-4 py-12 sm:py-20">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 -z-10 mx-auto h-64 max-w-lg rounded-full bg-linear-to-r from-brand-400/25 to-fuchsia-400/25 blur-3xl"
      />
      <h1 className="text-center text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 text-center text-sm text-zinc-600 dark:text-zinc-400">{subtitle}</p>
      <Card className="mt-8 p-6 sm:p-8">{children}</Card>
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">{footer}</p>
    </div>
  );
}
