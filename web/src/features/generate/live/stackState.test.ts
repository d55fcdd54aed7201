import { describe, expect, it } from 'vitest';
import { makeDraft } from '../../../test/fixtures';
import {
  DRAFT_STACK_MAX,
  draftStackReducer,
  emptyDraftStack,
  type DraftStack,
  type DraftStackAction,
} from './stackState';

const run = (actions: DraftStackAction[], from: DraftStack = emptyDraftStack) =>
  actions.reduce(draftStackReducer, from);
const add = (id: string, prompt = `prompt ${id}`): DraftStackAction => ({
  type: 'add',
  draft: makeDraft(id, { prompt }),
});
const ids = (items: DraftStack['shown']) => items.map((i) => i.draft.id);

describe('the draft stack', () => {
  it('puts the newest draft first and keeps twelve at most', () => {
    const stack = run(Array.from({ length: 14 }, (_, i) => add(`d${i + 1}`)));
    expect(DRAFT_STACK_MAX).toBe(12);
    expect(ids(stack.shown)).toEqual([
      'd14',
      'd13',
      'd12',
      'd11',
      'd10',
      'd9',
      'd8',
      'd7',
      'd6',
      'd5',
      'd4',
      'd3',
    ]);
  });

  it('remembers each draft’s previous prompt, for its diff', () => {
    const stack = run([add('d1', 'a red fox'), add('d2', 'a red fox in snow')]);
    expect(stack.shown[0]?.previousPrompt).toBe('a red fox');
    expect(stack.shown[1]?.previousPrompt).toBeNull();
  });

  it('while frozen, holds new drafts back without moving the shown ones, then puts them on top', () => {
    const frozen = run([add('d1'), add('d2'), { type: 'freeze' }, add('d3'), add('d4')]);
    expect(ids(frozen.shown)).toEqual(['d2', 'd1']);
    expect(ids(frozen.incoming)).toEqual(['d4', 'd3']);
    // Diffs follow the order the drafts came in, shown or not.
    expect(frozen.incoming[1]?.previousPrompt).toBe('prompt d2');

    const revealed = run([{ type: 'reveal' }], frozen);
    expect(ids(revealed.shown)).toEqual(['d4', 'd3', 'd2', 'd1']);
    expect(revealed.frozen).toBe(true);

    const released = run([{ type: 'release' }], frozen);
    expect(ids(released.shown)).toEqual(['d4', 'd3', 'd2', 'd1']);
    expect(released.frozen).toBe(false);
  });

  it('marks a kept draft with the image it became', () => {
    const stack = run([add('d1'), add('d2'), { type: 'kept', draftId: 'd1', imageId: 'img9' }]);
    expect(stack.shown.map((i) => i.keptImageId)).toEqual([undefined, 'img9']);
  });
});
