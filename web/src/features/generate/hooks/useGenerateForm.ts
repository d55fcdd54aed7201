import { useMemo, useState } from 'react';
import { findModel } from '../../../lib/config';
import type { AspectRatio, Config, GenerationRequest, ModelConfig } from '../../../types/api';
import { MAX_SEED, randomSeed } from '../../../utils/random';
import { validatePrompt } from '../../../utils/validation';

export const MAX_IMAGE_COUNT = 4;

function fits(ratio: Pick<AspectRatio, 'width' | 'height'>, model: ModelConfig): boolean {
  const ok = (v: number, r: ModelConfig['width']) =>
    v >= r.min && v <= r.max && (r.multiple_of <= 1 || v % r.multiple_of === 0);
  return ok(ratio.width, model.width) && ok(ratio.height, model.height);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * All of the Generate form's state, derived from the server's config: the
 * limits, presets, styles and models are never hard-coded here.
 */
export function useGenerateForm(config: Config, initial: Partial<GenerationRequest> = {}) {
  const [prompt, setPrompt] = useState(initial.prompt ?? '');
  const [negativePrompt, setNegativePrompt] = useState(initial.negative_prompt ?? '');
  const [modelId, setModelId] = useState(
    () => findModel(config, initial.model ?? undefined)?.id ?? '',
  );
  const model = findModel(config, modelId);

  const customRatio: AspectRatio | null = useMemo(() => {
    if (!initial.width || !initial.height) return null;
    const preset = config.generation.aspect_ratios.find(
      (r) => r.width === initial.width && r.height === initial.height,
    );
    return preset ? null : { id: 'custom', width: initial.width, height: initial.height };
  }, [config, initial.width, initial.height]);

  const aspectRatios = useMemo(() => {
    const all = [...config.generation.aspect_ratios, ...(customRatio ? [customRatio] : [])];
    const usable = model ? all.filter((r) => fits(r, model)) : all;
    return usable.length > 0 ? usable : all;
  }, [config, customRatio, model]);

  const [aspectId, setAspectId] = useState(() => {
    if (customRatio) return customRatio.id;
    const match = config.generation.aspect_ratios.find(
      (r) => r.width === initial.width && r.height === initial.height,
    );
    return match?.id ?? config.generation.aspect_ratios[0]?.id ?? '';
  });
  const aspect = aspectRatios.find((r) => r.id === aspectId) ?? aspectRatios[0];

  const stepsRange = model?.steps ?? { min: 1, max: 50, default: 4 };
  const [stepsRaw, setSteps] = useState<number>(initial.steps ?? stepsRange.default);
  const steps = clamp(stepsRaw, stepsRange.min, stepsRange.max);

  const maxImages = Math.max(1, Math.min(MAX_IMAGE_COUNT, model?.max_images ?? 1));
  const [countRaw, setCount] = useState<number>(initial.n ?? 1);
  const count = clamp(countRaw, 1, maxImages);

  const styles = config.generation.styles;
  const [style, setStyle] = useState(
    () => styles.find((s) => s.id === initial.style)?.id ?? styles[0]?.id ?? 'none',
  );

  const [seed, setSeed] = useState<string>(initial.seed != null ? String(initial.seed) : '');
  const [seedLocked, setSeedLocked] = useState(initial.seed != null);

  const maxChars = config.limits.prompt_max_chars;
  const negativeSupported = Boolean(model?.negative_prompt);

  function seedError(): string | undefined {
    if (!seedLocked) return undefined;
    if (seed.trim() === '') return 'Enter a seed or unlock it to use a random one.';
    const n = Number(seed);
    if (!Number.isInteger(n) || n < 0 || n > MAX_SEED) {
      return `Use a whole number from 0 to ${MAX_SEED.toLocaleString()}.`;
    }
    return undefined;
  }

  /**
   * Validates, fixes the seed for this run (a new random one unless locked)
   * and returns the request, or the client-side errors.
   */
  function buildRequest(
    options: { newSeed?: boolean } = {},
  ): { ok: true; request: GenerationRequest } | { ok: false; errors: Record<string, string> } {
    const errors: Record<string, string> = {};
    const promptError = validatePrompt(prompt, maxChars);
    if (promptError) errors.prompt = promptError;
    const useRandom = options.newSeed || !seedLocked;
    if (!useRandom) {
      const e = seedError();
      if (e) errors.seed = e;
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };

    const seedValue = useRandom ? randomSeed() : Number(seed);
    if (useRandom) setSeed(String(seedValue));
    const request: GenerationRequest = {
      prompt: prompt.trim(),
      model: model?.id,
      width: aspect?.width,
      height: aspect?.height,
      steps,
      seed: seedValue,
      n: count,
      style,
    };
    if (negativeSupported && negativePrompt.trim()) request.negative_prompt = negativePrompt.trim();
    return { ok: true, request };
  }

  /** What to keep if the page goes away before the run: the seed only when locked. */
  const draft: Partial<GenerationRequest> = {
    prompt,
    negative_prompt: negativePrompt || undefined,
    model: model?.id,
    width: aspect?.width,
    height: aspect?.height,
    steps,
    n: count,
    style,
    seed: seedLocked && seed.trim() !== '' ? Number(seed) : undefined,
  };

  return {
    config,
    draft,
    models: config.generation.models,
    model,
    modelId: model?.id ?? '',
    setModelId,
    prompt,
    setPrompt,
    maxChars,
    negativePrompt,
    setNegativePrompt,
    negativeSupported,
    aspectRatios,
    aspect,
    aspectId: aspect?.id ?? '',
    setAspectId,
    stepsRange,
    steps,
    setSteps,
    maxImages,
    count,
    setCount,
    styles,
    style,
    setStyle,
    seed,
    setSeed,
    seedLocked,
    setSeedLocked,
    rollSeed: () => setSeed(String(randomSeed())),
    buildRequest,
  };
}

export type GenerateForm = ReturnType<typeof useGenerateForm>;
