import { CalendarDays, Coins, HardDrive, Images, LogOut, Mail, Sparkles, Zap } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMe } from '../api/auth';
import { useAuth } from '../AuthContext';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Button } from '../../../components/ui/Button';
import { Card } from '../../../components/ui/Card';
import { ProgressBar } from '../../../components/ui/ProgressBar';
import { Skeleton } from '../../../components/ui/Skeleton';
import { Stat } from '../../../components/ui/Stat';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { formatBytes, formatDate, formatNumber, formatUsd, initials } from '../../../utils/format';

/** `extras`: what other features add to the profile (API keys), below the usage. */
export default function ProfilePage({ extras }: { extras?: ReactNode } = {}) {
  useDocumentTitle('Profile');
  const auth = useAuth();
  // Usage changes as you generate: refresh it whenever the page opens.
  const me = useMe();
  const user = me.data?.user ?? auth.user;
  const usage = me.data?.usage ?? auth.usage;
  // Clerk mode: Clerk's own account screens (email, password, sessions) replace ours.
  const ClerkProfile = auth.views?.UserProfile;

  if (!user) {
    return (
      <div className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="mt-8 h-40" />
      </div>
    );
  }

  const quota = usage?.monthly_quota ?? 0;
  const used = usage?.generations_this_month ?? 0;
  const left = Math.max(0, quota - used);

  return (
    <div className="mx-auto max-w-4xl px-4 py-8 sm:px-6 sm:py-10">
      <PageHeader title="Profile" description="Your account and how much you have used." />

      {ClerkProfile ? null : (
        <Card className="mt-8 flex flex-col gap-5 p-6 sm:flex-row sm:items-center">
          <span
            aria-hidden="true"
            className="flex size-16 shrink-0 items-center justify-center rounded-2xl bg-linear-to-br from-brand-500 to-fuchsia-500 text-2xl font-semibold text-white shadow-md shadow-brand-500/30"
          >
            {initials(user)}
          </span>
          <div className="min-w-0 flex-1">
            <h2 className="truncate text-lg font-semibold">{user.display_name || user.email}</h2>
            <p className="mt-1 flex items-center gap-1.5 truncate text-sm text-zinc-600 dark:text-zinc-400">
              <Mail className="size-4 shrink-0" aria-hidden="true" />
              {user.email}
            </p>
            <p className="mt-1 flex items-center gap-1.5 text-sm text-zinc-600 dark:text-zinc-400">
              <CalendarDays className="size-4 shrink-0" aria-hidden="true" />
              Member since {formatDate(user.created_at)}
            </p>
          </div>
          <Button
            variant="secondary"
            onClick={() => void auth.signOut()}
            icon={<LogOut className="size-4" aria-hidden="true" />}
          >
            Sign out
          </Button>
        </Card>
      )}

      <h2 className="mt-10 text-lg font-semibold">Usage</h2>
      {usage ? (
        <>
          <div className="mt-4 grid gap-4 sm:grid-cols-3">
            <Stat
              icon={<Images className="size-4" aria-hidden="true" />}
              label="Images in gallery"
              // The server's count includes the trash until it is deleted for good.
              value={formatNumber(Math.max(0, usage.images - usage.trash_images))}
            />
            <Stat
              icon={<HardDrive className="size-4" aria-hidden="true" />}
              label="Storage used"
              value={
                usage.storage_quota_bytes
                  ? `${formatBytes(usage.storage_bytes)} of ${formatBytes(usage.storage_quota_bytes)}`
                  : formatBytes(usage.storage_bytes)
              }
              note={
                // Trashed images count until they are deleted for good.
                usage.trash_images > 0 && (
                  <Link
                    to="/trash"
                    className="underline decoration-zinc-300 underline-offset-2 hover:text-zinc-900 dark:decoration-zinc-600 dark:hover:text-white"
                  >
                    In trash: {formatNumber(usage.trash_images)}{' '}
                    {usage.trash_images === 1 ? 'image' : 'images'} ·{' '}
                    {formatBytes(usage.trash_bytes)}
                  </Link>
                )
              }
            />
            <Stat
              icon={<Sparkles className="size-4" aria-hidden="true" />}
              label="Generated this month"
              value={formatNumber(used)}
            />
            <Stat
              icon={<Zap className="size-4" aria-hidden="true" />}
              label="Drafts this month"
              value={`${formatNumber(usage.drafts_this_month)} of ${formatNumber(usage.monthly_draft_quota)}`}
            />
            <Stat
              icon={<Coins className="size-4" aria-hidden="true" />}
              label="Cost this month"
              value={
                usage.monthly_budget_usd != null
                  ? `${formatUsd(usage.cost_this_month_usd)} of ${formatUsd(usage.monthly_budget_usd)}`
                  : formatUsd(usage.cost_this_month_usd)
              }
            />
          </div>
          <Card className="mt-4 p-6">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h3 className="font-medium">Monthly quota</h3>
              <p className="text-sm tabular-nums text-zinc-600 dark:text-zinc-400">
                {formatNumber(used)} of {formatNumber(quota)} images
              </p>
            </div>
            <ProgressBar className="mt-3" value={used} max={quota} label="Monthly quota used" />
            <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
              {left > 0
                ? `${formatNumber(left)} images left this month. The count resets on the 1st.`
                : 'You have used this month’s quota. It resets on the 1st.'}
            </p>
          </Card>
        </>
      ) : (
        <Skeleton className="mt-4 h-40" />
      )}

      {extras}

      {ClerkProfile && (
        <>
          <h2 className="mt-10 text-lg font-semibold">Account</h2>
          <div className="mt-4 overflow-x-auto">
            <ClerkProfile />
          </div>
        </>
      )}
    </div>
  );
}
