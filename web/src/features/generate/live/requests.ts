import type { DimensionRange, Draft, GenerationRequest, ModelConfig } from '../../../types/api';
import type { GenerateForm } from '../hooks/useGenerateForm';

/** Drafts are square, this wide, unless the model cannot make that size. */
export const DRAFT_SIDE = 512;

/** The side nearest `want` that the model accepts (within its range, a multiple of its step). */
function fit(want: number, range: DimensionRange): number {
  const step = Math.max(1, range.multiple_of);
  const lowest = Math.ceil(range.min / step) * step;
  const highest = Math.floor(range.max / step) * step;
  return Math.min(highest, Math.max(lowest, Math.round(want / step) * step));
}

/** The model's fastest settings: its fewest steps, at 512 × 512 or the nearest size it takes. */
export function fastestSettings(model: ModelConfig) {
  return {
    steps: model.steps.min,
    width: fit(DRAFT_SIDE, model.width),
    height: fit(DRAFT_SIDE, model.height),
  };
}

type FormSettings = Pick<
  GenerateForm,
  'model' | 'style' | 'negativeSupported' | 'negativePrompt' | 'aspect' | 'steps' | 'count'
>;

const negative = (form: FormSettings) =>
  form.negativeSupported && form.negativePrompt.trim() ? form.negativePrompt.trim() : undefined;

/** Everything of a draft request but the prompt: the form's model, style and negative prompt, at the fastest settings. */
export function draftSettings(
  form: FormSettings,
  seed: number,
): Omit<GenerationRequest, 'prompt'> | null {
  if (!form.model) return null;
  return {
    model: form.model.id,
    ...fastestSettings(form.model),
    seed,
    n: 1,
    style: form.style,
    negative_prompt: negative(form),
  };
}

/** A normal generation of the draft's prompt and seed, with the form's full settings. */
export function fullRequest(form: FormSettings, draft: Draft): GenerationRequest {
  return {
    prompt: draft.prompt,
    negative_prompt: form.negativeSupported ? (draft.negative_prompt ?? undefined) : undefined,
    model: form.model?.id,
    width: form.aspect?.width,
    height: form.aspect?.height,
    steps: form.steps,
    seed: draft.seed,
    n: form.count,
    style: form.style,
  };
}
