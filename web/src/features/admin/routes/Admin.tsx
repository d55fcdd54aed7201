import { Activity, HardDrive, Images, RefreshCw, UserCheck, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { Card } from '../../../components/ui/Card';
import { Skeleton } from '../../../components/ui/Skeleton';
import { Stat } from '../../../components/ui/Stat';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { ApiError, describeError } from '../../../lib/errors';
import { formatBytes, formatNumber } from '../../../utils/format';
import { useAdminStats, type AdminStats } from '../api/stats';
import { DailyChart, Legend } from '../components/DailyChart';
import { ErrorSummary } from '../components/ErrorSummary';
import { ModelTable } from '../components/ModelTable';

const icon = 'size-4';

/** "25% of all users" under an active count; nothing while there is nobody. */
function shareOf(part: number, total: number): string | undefined {
  return total > 0 ? `${Math.round((part / total) * 100)}% of all users` : undefined;
}

function Section({
  title,
  note,
  aside,
  children,
}: {
  title: string;
  note?: string;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card className="p-5 sm:p-6">
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <div>
          <h2 className="font-semibold">{title}</h2>
          {note && <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{note}</p>}
        </div>
        {aside}
      </div>
      {children}
    </Card>
  );
}

function Figures({ stats }: { stats: AdminStats }) {
  const { users } = stats;
  return (
    <section aria-labelledby="admin-overview" className="grid grid-cols-2 gap-4 sm:grid-cols-3">
      <h2 id="admin-overview" className="sr-only">
        Overview
      </h2>
      <Stat
        icon={<Users className={icon} aria-hidden="true" />}
        label="Users"
        value={formatNumber(users.total)}
      />
      <Stat
        icon={<Images className={icon} aria-hidden="true" />}
        label="Images"
        value={formatNumber(stats.images)}
      />
      <Stat
        icon={<HardDrive className={icon} aria-hidden="true" />}
        label="Storage"
        value={formatBytes(stats.storage_bytes)}
      />
      <Stat
        icon={<Activity className={icon} aria-hidden="true" />}
        label="Active today"
        value={formatNumber(users.active_1d)}
        note={shareOf(users.active_1d, users.total)}
      />
      <Stat
        icon={<UserCheck className={icon} aria-hidden="true" />}
        label="Active, last 7 days"
        value={formatNumber(users.active_7d)}
        note={shareOf(users.active_7d, users.total)}
      />
      <Stat
        icon={<UserCheck className={icon} aria-hidden="true" />}
        label="Active, last 30 days"
        value={formatNumber(users.active_30d)}
        note={shareOf(users.active_30d, users.total)}
      />
    </section>
  );
}

function Dashboard({ stats }: { stats: AdminStats }) {
  return (
    <div className="mt-8 space-y-6">
      <Figures stats={stats} />
      <p className="-mt-3 text-xs text-zinc-500 dark:text-zinc-400">
        Active: made at least one generation. Days are UTC days.
      </p>
      <Section
        title="Last 30 days"
        note="Generations and the images they made, per day."
        aside={<Legend />}
      >
        <DailyChart days={stats.generations_by_day} />
      </Section>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Section title="By model" note="All time, most images first.">
          <ModelTable models={stats.by_model} />
        </Section>
        <Section title="Errors" note="Last 30 days.">
          <ErrorSummary errors={stats.errors} />
        </Section>
      </div>
    </div>
  );
}

function Loading() {
  return (
    <div className="mt-8 space-y-6">
      <span className="sr-only" role="status">
        Loading the figures…
      </span>
      <div className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-28 rounded-2xl" />
        ))}
      </div>
      <Skeleton className="h-80 rounded-2xl" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-64 rounded-2xl" />
        <Skeleton className="h-64 rounded-2xl" />
      </div>
    </div>
  );
}

function AdminScreen({ stats }: { stats: ReturnType<typeof useAdminStats> }) {
  // Here, not in AdminPage: the not-found page sets its own title.
  useDocumentTitle('Admin');
  const { refetch } = stats;
  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <PageHeader
        title="Admin"
        description="How this PromptCanvas server is used: people, images, storage and errors."
        actions={
          stats.data && (
            <Button
              variant="secondary"
              size="sm"
              busy={stats.isFetching}
              onClick={() => void refetch()}
              icon={<RefreshCw className={icon} aria-hidden="true" />}
            >
              Refresh
            </Button>
          )
        }
      />
      <div aria-busy={stats.isFetching}>
        {stats.data ? (
          <Dashboard stats={stats.data} />
        ) : stats.isPending ? (
          <Loading />
        ) : (
          <Alert className="mt-8" title="Couldn't load the figures" onRetry={() => void refetch()}>
            {describeError(stats.error)}
          </Alert>
        )}
      </div>
    </div>
  );
}

/**
 * /admin — how the server is used, for its admins. To anyone else the server
 * answers 404, and the page is `notFound` (the app's own), as for any
 * address that leads nowhere.
 */
export default function AdminPage({ notFound }: { notFound: ReactNode }) {
  const stats = useAdminStats();
  if (stats.error instanceof ApiError && stats.error.status === 404) return <>{notFound}</>;
  return <AdminScreen stats={stats} />;
}
