import { Dices, Lock, LockOpen, Sparkles } from 'lucide-react';
import { useId, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { expectedCostUsd } from '../../../lib/cost';
import type { GenerationRequest } from '../../../types/api';
import { formatCost } from '../../../utils/format';
import { cn } from '../../../utils/cn';
import { Button } from '../../../components/ui/Button';
import { controlClasses, FieldMessage, Label, TextArea } from '../../../components/ui/Field';
import type { GenerateForm } from '../hooks/useGenerateForm';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

function AspectShape({ width, height }: { width: number; height: number }) {
  const scale = 18 / Math.max(width, height);
  return (
    <span className="flex size-5 items-center justify-center" aria-hidden="true">
      <span
        className="rounded-[3px] border-2 border-current"
        style={{ width: Math.max(6, width * scale), height: Math.max(6, height * scale) }}
      />
    </span>
  );
}

/** Classes for one option of a segmented radio group (the input itself is visually hidden). */
function segment(checked: boolean): string {
  return cn(
    'flex cursor-pointer items-center justify-center gap-1.5 rounded-lg border px-2 py-2 text-xs font-medium transition',
    'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500',
    checked
      ? 'border-brand-500 bg-brand-50 text-brand-700 dark:border-brand-400 dark:bg-brand-500/15 dark:text-brand-100'
      : 'border-zinc-200 bg-white text-zinc-700 hover:border-zinc-300 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:border-zinc-600',
  );
}

export interface ImageGeneratorProps {
  form: GenerateForm;
  /** Starts a run; the form stays usable while runs are in flight. */
  onGenerate: (request: GenerationRequest) => void;
  /** Field messages from the server's last answer, by field name. */
  serverErrors?: Record<string, string>;
  /** Shown under the prompt: the Live switch. */
  live?: ReactNode;
}

/** "≈ $0.0113" or "free": what Generate will cost with the settings as they are. */
function ExpectedCost({ form }: { form: GenerateForm }) {
  if (!form.model || !form.aspect) return null;
  const cost = expectedCostUsd(
    { n: form.count, width: form.aspect.width, height: form.aspect.height },
    form.model.price_per_megapixel_usd,
  );
  return (
    <p
      className="-mb-2 text-right text-xs tabular-nums text-zinc-500 dark:text-zinc-400"
      data-testid="expected-cost"
    >
      Expected cost: {cost > 0 ? `≈ ${formatCost(cost)}` : 'free'}
    </p>
  );
}

/** The Generate form. Every limit, preset and option comes from /api/config. */
export function ImageGenerator({ form, onGenerate, serverErrors = {}, live }: ImageGeneratorProps) {
  const ids = {
    prompt: useId(),
    negative: useId(),
    model: useId(),
    steps: useId(),
    style: useId(),
    seed: useId(),
  };
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const errors = { ...serverErrors, ...clientErrors };
  const over = form.prompt.length > form.maxChars;

  function submit() {
    const result = form.buildRequest();
    if (!result.ok) {
      setClientErrors(result.errors);
      return;
    }
    setClientErrors({});
    onGenerate(result.request);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit();
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate className="flex flex-col gap-5">
      <TextArea
        id={ids.prompt}
        label="Prompt"
        rows={5}
        placeholder="A lighthouse at dusk, oil painting, warm light on the waves…"
        value={form.prompt}
        onChange={(e) => {
          form.setPrompt(e.target.value);
          if (clientErrors.prompt) setClientErrors(({ prompt: _p, ...rest }) => rest);
        }}
        error={errors.prompt}
        hint={`${isMac ? '⌘' : 'Ctrl'} + Enter generates.`}
        labelAside={
          <span
            className={cn(
              'text-xs tabular-nums',
              over
                ? 'font-semibold text-red-600 dark:text-red-400'
                : 'text-zinc-500 dark:text-zinc-400',
            )}
            data-testid="prompt-count"
          >
            {form.prompt.length.toLocaleString()} / {form.maxChars.toLocaleString()}
            <span className="sr-only"> characters</span>
          </span>
        }
      />

      {live}

      {form.negativeSupported && (
        <TextArea
          id={ids.negative}
          label="Negative prompt (optional)"
          rows={2}
          placeholder="Things to leave out"
          value={form.negativePrompt}
          onChange={(e) => form.setNegativePrompt(e.target.value)}
          error={errors.negative_prompt}
        />
      )}

      {form.models.length > 1 && (
        <div>
          <Label htmlFor={ids.model}>Model</Label>
          <select
            id={ids.model}
            className={cn(controlClasses, 'h-11')}
            value={form.modelId}
            onChange={(e) => form.setModelId(e.target.value)}
          >
            {form.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
          <FieldMessage id={`${ids.model}-message`} error={errors.model} />
        </div>
      )}

      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">
          Aspect ratio
        </legend>
        <div className="grid grid-cols-[repeat(auto-fill,minmax(4.25rem,1fr))] gap-2">
          {form.aspectRatios.map((r) => (
            <label key={r.id} className={cn(segment(form.aspectId === r.id), 'flex-col py-2.5')}>
              <input
                type="radio"
                name="aspect"
                value={r.id}
                checked={form.aspectId === r.id}
                onChange={() => form.setAspectId(r.id)}
                className="sr-only"
                aria-label={`${r.id === 'custom' ? 'Custom' : r.id} (${r.width} × ${r.height})`}
              />
              <AspectShape width={r.width} height={r.height} />
              <span>{r.id === 'custom' ? 'Custom' : r.id}</span>
            </label>
          ))}
        </div>
        <p className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">
          {form.aspect ? `${form.aspect.width} × ${form.aspect.height} px` : ''}
        </p>
        {(errors.width || errors.height) && (
          <p className="mt-1 text-sm text-red-600 dark:text-red-400">
            {errors.width ?? errors.height}
          </p>
        )}
      </fieldset>

      <div className="grid gap-5 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
        <div>
          <div className="flex items-baseline justify-between">
            <Label htmlFor={ids.steps}>Steps</Label>
            <span className="text-sm font-medium tabular-nums text-zinc-600 dark:text-zinc-300">
              {form.steps}
            </span>
          </div>
          <input
            id={ids.steps}
            type="range"
            min={form.stepsRange.min}
            max={form.stepsRange.max}
            step={1}
            value={form.steps}
            onChange={(e) => form.setSteps(Number(e.target.value))}
            className="h-11 w-full accent-brand-600"
            aria-describedby={`${ids.steps}-message`}
          />
          <FieldMessage
            id={`${ids.steps}-message`}
            error={errors.steps}
            hint={`${form.stepsRange.min}–${form.stepsRange.max}; more steps, more detail.`}
          />
        </div>

        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Images
          </legend>
          <div className="grid grid-cols-4 gap-2">
            {Array.from({ length: form.maxImages }, (_, i) => i + 1).map((n) => (
              <label key={n} className={cn(segment(form.count === n), 'h-11 text-sm')}>
                <input
                  type="radio"
                  name="count"
                  value={n}
                  checked={form.count === n}
                  onChange={() => form.setCount(n)}
                  className="sr-only"
                  aria-label={`${n} image${n === 1 ? '' : 's'}`}
                />
                {n}
              </label>
            ))}
          </div>
          {errors.n && <p className="mt-1 text-sm text-red-600 dark:text-red-400">{errors.n}</p>}
        </fieldset>
      </div>

      <div className="grid gap-5 sm:grid-cols-2 lg:grid-cols-1">
        <div>
          <Label htmlFor={ids.style}>Style</Label>
          <select
            id={ids.style}
            className={cn(controlClasses, 'h-11')}
            value={form.style}
            onChange={(e) => form.setStyle(e.target.value)}
          >
            {form.styles.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
          <FieldMessage id={`${ids.style}-message`} error={errors.style} />
        </div>

        <div>
          <Label htmlFor={ids.seed}>Seed</Label>
          <div className="flex gap-2">
            <input
              id={ids.seed}
              inputMode="numeric"
              autoComplete="off"
              placeholder={form.seedLocked ? 'Seed' : 'Random'}
              className={cn(controlClasses, 'h-11 min-w-0 flex-1 font-mono tabular-nums')}
              value={form.seed}
              onChange={(e) => {
                const v = e.target.value.replace(/[^\d]/g, '');
                form.setSeed(v);
                if (v) form.setSeedLocked(true);
              }}
              aria-invalid={errors.seed ? true : undefined}
              aria-describedby={`${ids.seed}-message`}
            />
            <Button
              variant="secondary"
              size="icon"
              className="h-11 w-11 shrink-0"
              onClick={form.rollSeed}
              aria-label="Roll a random seed"
              title="Roll a random seed"
              icon={<Dices className="size-4" aria-hidden="true" />}
            />
            <Button
              variant="secondary"
              size="icon"
              className={cn(
                'h-11 w-11 shrink-0',
                form.seedLocked &&
                  'border-brand-500 bg-brand-50 text-brand-700 dark:border-brand-400 dark:bg-brand-500/15 dark:text-brand-200',
              )}
              onClick={() => form.setSeedLocked(!form.seedLocked)}
              aria-pressed={form.seedLocked}
              aria-label="Lock seed"
              title={
                form.seedLocked
                  ? 'Seed locked: every run reuses it'
                  : 'Seed unlocked: a new one each run'
              }
              icon={
                form.seedLocked ? (
                  <Lock className="size-4" aria-hidden="true" />
                ) : (
                  <LockOpen className="size-4" aria-hidden="true" />
                )
              }
            />
          </div>
          <FieldMessage
            id={`${ids.seed}-message`}
            error={errors.seed}
            hint={
              form.seedLocked ? 'Locked: same seed every run.' : 'Unlocked: a new seed each run.'
            }
          />
        </div>
      </div>

      <ExpectedCost form={form} />
      <Button
        type="submit"
        size="lg"
        icon={<Sparkles className="size-4" aria-hidden="true" />}
        className="w-full"
      >
        {form.count > 1 ? `Generate ${form.count} images` : 'Generate'}
      </Button>
    </form>
  );
}
