import type { ShareTarget } from '../api/shares';

/** "this image", "“Trips”" or "this collection": what a link shows, in a sentence. */
export function thingShared(target: ShareTarget, name?: string): string {
  if (target.kind === 'image') return 'this image';
  return name ? `“${name}”` : 'this collection';
}

/** The prompt switch's name: a collection's page shows one prompt per image. */
export const promptSwitchLabel = (target: ShareTarget) =>
  target.kind === 'image' ? 'Show the prompt' : 'Show prompts';
