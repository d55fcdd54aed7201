import type { ReactNode } from 'react';

/**
 * A titled part of a page (the profile's API keys, its shared links). Its
 * heading, `titleId`, can take the focus: where it goes when the control
 * that had it leaves (a revoked key, a stopped link).
 */
export function PageSection({
  titleId,
  title,
  description,
  children,
}: {
  titleId: string;
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={titleId} className="mt-10">
      <h2 id={titleId} tabIndex={-1} className="text-lg font-semibold outline-none">
        {title}
      </h2>
      <p className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      {children}
    </section>
  );
}
