import type { GenerationRequest, Image } from '../types/api';

/**
 * "Use these settings": an image's recorded settings travel to the Generate
 * page in the query string, so the link also survives a reload or a bookmark.
 */
export function settingsToSearch(
  image: Pick<
    Image,
    'prompt' | 'negative_prompt' | 'model' | 'width' | 'height' | 'steps' | 'seed' | 'style'
  >,
): string {
  const params = new URLSearchParams({
    prompt: image.prompt,
    model: image.model,
    width: String(image.width),
    height: String(image.height),
    steps: String(image.steps),
    seed: String(image.seed),
    style: image.style,
  });
  if (image.negative_prompt) params.set('negative_prompt', image.negative_prompt);
  return `?${params.toString()}`;
}

export function searchToSettings(params: URLSearchParams): Partial<GenerationRequest> {
  const num = (key: string) => {
    const raw = params.get(key);
    if (raw == null || raw.trim() === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  const str = (key: string) => params.get(key) ?? undefined;
  return {
    prompt: str('prompt'),
    negative_prompt: str('negative_prompt'),
    model: str('model'),
    width: num('width'),
    height: num('height'),
    steps: num('steps'),
    seed: num('seed'),
    style: str('style'),
  };
}
