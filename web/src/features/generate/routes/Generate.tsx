import { ImagePlus, RotateCcw } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { useConfig } from '../../../lib/config';
import { ApiError, describeError } from '../../../lib/errors';
import { useGenerateImage } from '../api/generations';
import type { Config, Generation, GenerationRequest } from '../../../types/api';
import { GeneratingPlaceholders, ImagePreview } from '../components/ImagePreview';
import { ImageGenerator } from '../components/ImageGenerator';
import { useGenerateForm } from '../hooks/useGenerateForm';
import { PageHeader } from '../../../components/layout/PageHeader';
import { Alert } from '../../../components/ui/Alert';
import { Button } from '../../../components/ui/Button';
import { Card } from '../../../components/ui/Card';
import { EmptyState } from '../../../components/ui/EmptyState';
import { Skeleton } from '../../../components/ui/Skeleton';
import { useDocumentTitle } from '../../../hooks/useDocumentTitle';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { randomSeed, uuid } from '../../../utils/random';
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
        <Alert
          title="Couldn't load the studio settings"
          action={
            <Button variant="secondary" size="sm" onClick={() => void config.refetch()}>
              Retry
            </Button>
          }
        >
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
  const initial = useMemo(() => searchToSettings(params), [params]);
  const form = useGenerateForm(config, initial);
  const generate = useGenerateImage();
  const elapsed = useElapsedSeconds(generate.isPending);
  const [latest, setLatest] = useState<Generation | null>(null);
  const [pendingShape, setPendingShape] = useState<GenerationRequest | null>(null);

  function run(request: GenerationRequest) {
    setPendingShape(request);
    generate.mutate(
      { request, idempotencyKey: uuid() },
      { onSuccess: (generation) => setLatest(generation) },
    );
  }

  function again() {
    if (!latest) return;
    const seed = randomSeed();
    form.setSeed(String(seed));
    run({
      prompt: latest.prompt,
      negative_prompt: latest.negative_prompt,
      model: latest.model,
      width: latest.width,
      height: latest.height,
      steps: latest.steps,
      style: latest.style,
      n: latest.images.length,
      seed,
    });
  }

  const apiError = generate.error instanceof ApiError ? generate.error : null;
  const serverErrors = Object.fromEntries(
    (apiError?.fieldErrors ?? []).map((e) => [e.field, e.message]),
  );

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
            busy={generate.isPending}
            onGenerate={run}
            serverErrors={serverErrors}
          />
        </Card>

        <div className="flex min-w-0 flex-col gap-6">
          {generate.isError && (
            <Alert
              title={
                apiError?.code === 'invalid_request' ? 'Check your settings' : 'Generation failed'
              }
              action={
                pendingShape && apiError?.code !== 'invalid_request' ? (
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => run(pendingShape)}
                    icon={<RotateCcw className="size-4" aria-hidden="true" />}
                  >
                    Try again
                  </Button>
                ) : undefined
              }
            >
              {describeError(generate.error)}
            </Alert>
          )}
          {generate.isPending && pendingShape ? (
            <GeneratingPlaceholders
              count={pendingShape.n ?? 1}
              width={pendingShape.width ?? 1}
              height={pendingShape.height ?? 1}
              elapsed={elapsed}
            />
          ) : latest ? (
            <ImagePreview generation={latest} onAgain={again} busy={generate.isPending} />
          ) : (
            <EmptyState
              icon={<ImagePlus className="size-7" aria-hidden="true" />}
              title="Your images will appear here"
            >
              Write a prompt and press Generate. Try “a red fox in a snowy birch forest, morning
              light, watercolor”.
            </EmptyState>
          )}
        </div>
      </div>
    </div>
  );
}
