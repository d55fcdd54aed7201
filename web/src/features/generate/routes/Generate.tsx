import { ImagePlus } from 'lucide-react';
import { useEffect, useMemo, useRef } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { useConfig } from '../../../lib/config';
import { describeError } from '../../../lib/errors';
import type { Config } from '../../../types/api';
import { RunCard } from '../components/RunCard';
import { ImageGenerator } from '../components/ImageGenerator';
import { useGenerateForm } from '../hooks/useGenerateForm';
import { useGenerateSession } from '../hooks/useGenerateSession';
import { readDraft, useKeepDraft } from '../hooks/useGenerateDraft';
import { useRevealResult } from '../hooks/useRevealResult';
import { DraftStack } from '../live/DraftStack';
import { LiveSwitch } from '../live/LiveSwitch';
import { fullRequest } from '../live/requests';
import { useLiveDrafts } from '../live/useLiveDrafts';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Alert } from '../../../components/ui/Alert';
import { Card } from '../../../components/ui/Card';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { searchToSettings } from '../../../utils/settings';
import { EngineBadge } from '../../../components/image/EngineBadge';

export default function GeneratePage() {
  useDocumentTitle('Generate');
  const config = useConfig();
  const { search } = useLocation();

  if (config.isPending) {
    return (
      <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6" aria-busy="true">
        <Skeleton className="h-8 w-48" />
        <div className="mt-8 grid gap-6 lg:grid-cols-[minmax(0,26rem)_1fr]">
          <Skeleton className="h-[32rem]" />
          <Skeleton className="h-[32rem]" />
        </div>
      </div>
    );
  }
  if (config.isError) {
    return (
      <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
        <Alert title="Couldn't load the studio settings" onRetry={() => void config.refetch()}>
          {describeError(config.error)}
        </Alert>
      </div>
    );
  }
  // A new "use these settings" link starts a fresh form.
  return <Workspace key={search} config={config.data} />;
}

function Workspace({ config }: { config: Config }) {
  const [params] = useSearchParams();
  // A "use these settings" link wins over the draft this tab was writing.
  const initial = useMemo(() => {
    const fromLink = searchToSettings(params);
    const linked = Object.values(fromLink).some((v) => v !== undefined);
    return linked ? fromLink : (readDraft() ?? {});
  }, [params]);
  const form = useGenerateForm(config, initial);
  const session = useGenerateSession(form);
  useKeepDraft(form.draft);
  const resultRef = useRevealResult<HTMLDivElement>(session.revealId);
  const live = useLiveDrafts(form);
  // A draft rendered at full settings lands below the draft stack: bring its run into view.
  const revealRun = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!revealRun.current || session.feed[0]?.key !== revealRun.current) return;
    revealRun.current = undefined;
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    resultRef.current?.scrollIntoView?.({ behavior: reduced ? 'auto' : 'smooth', block: 'start' });
  }, [session.feed, resultRef]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <PageHeader
        title="Generate"
        description="Describe a picture in words. Be specific about subject, light and style."
        actions={<EngineBadge provider={config.generation.provider} />}
      />
      <div className="mt-8 grid items-start gap-6 lg:grid-cols-[minmax(0,26rem)_1fr]">
        <Card className="p-5 sm:p-6 lg:sticky lg:top-24">
          <ImageGenerator
            form={form}
            onGenerate={session.run}
            serverErrors={session.serverErrors}
            live={<LiveSwitch checked={live.on} onChange={live.setOn} />}
          />
        </Card>

        <div className="flex min-w-0 flex-col gap-10">
          <p className="sr-only" aria-live="polite" data-testid="generate-announcer">
            {session.announcement}
          </p>
          <p className="sr-only" aria-live="polite" data-testid="live-announcer">
            {live.announcement}
          </p>
          {live.notice && (
            <Alert tone={live.notice.kind === 'paused' ? 'info' : 'error'}>
              {live.notice.message}
            </Alert>
          )}
          {(live.on || live.stack.shown.length > 0) && (
            <DraftStack
              live={live}
              onRender={(draft) => {
                revealRun.current = session.run(fullRequest(form, draft));
              }}
            />
          )}
          {session.feed.map((run, i) => (
            <div key={run.key} ref={i === 0 ? resultRef : undefined} className="scroll-mt-20">
              <RunCard
                run={run}
                newest={i === 0}
                onAgain={() => session.again(run)}
                onRetry={() => session.retry(run.key)}
                refetchPast={session.refetchPast}
              />
            </div>
          ))}
          {session.loading ? (
            <Skeleton className="aspect-square w-full" />
          ) : (
            session.feed.length === 0 && (
              <EmptyState
                icon={<ImagePlus className="size-7" aria-hidden="true" />}
                title="Your images will appear here"
              >
                Write a prompt and press Generate. Try “a red fox in a snowy birch forest, morning
                light, watercolor”.
              </EmptyState>
            )
          )}
        </div>
      </div>
    </div>
  );
}
