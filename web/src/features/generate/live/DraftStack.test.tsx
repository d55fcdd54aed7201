import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useReducer, type Dispatch } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { makeDraft } from '../../../test/fixtures';
import { renderWithProviders } from '../../../test/utils';
import { DraftStack } from './DraftStack';
import { draftStackReducer, emptyDraftStack, type DraftStackAction } from './stackState';

function renderStack() {
  const handle: { dispatch?: Dispatch<DraftStackAction> } = {};
  function Harness() {
    const [stack, dispatch] = useReducer(draftStackReducer, emptyDraftStack);
    handle.dispatch = dispatch;
    return <DraftStack live={{ stack, dispatch, on: true }} onRender={vi.fn()} />;
  }
  renderWithProviders(<Harness />);
  const add = (id: string, prompt: string) =>
    act(() => handle.dispatch!({ type: 'add', draft: makeDraft(id, { prompt }) }));
  const prompts = () =>
    screen.getAllByTestId('draft').map((d) => within(d).getByRole('img').getAttribute('alt'));
  return { add, prompts };
}

describe('the draft stack on screen', () => {
  it('shows the newest draft first, its prompt diffed against the one before', () => {
    const { add, prompts } = renderStack();
    add('d1', 'a red fox in the snow');
    add('d2', 'a red fox at dusk');
    expect(prompts()).toEqual(['a red fox at dusk', 'a red fox in the snow']);
    const newest = screen.getAllByTestId('draft')[0]!;
    expect(newest.querySelector('ins')).toHaveTextContent('added: at dusk');
    expect(newest.querySelector('del')).toHaveTextContent('removed: in the snow');
  });

  it('moves nothing under the pointer: new drafts wait behind a button until it leaves', async () => {
    const user = userEvent.setup();
    const { add, prompts } = renderStack();
    add('d1', 'one');
    add('d2', 'one two');
    const stack = screen.getByTestId('draft-stack');

    await user.hover(within(stack).getAllByTestId('draft')[1]!);
    add('d3', 'one two three');
    expect(prompts()).toEqual(['one two', 'one']);
    expect(within(stack).getByRole('button', { name: '1 new draft' })).toBeVisible();

    await user.unhover(stack);
    expect(prompts()).toEqual(['one two three', 'one two', 'one']);
    expect(within(stack).queryByRole('button', { name: /new draft/ })).not.toBeInTheDocument();
  });

  it('shows the waiting drafts when asked, and holds still while focus is inside', async () => {
    const user = userEvent.setup();
    const { add, prompts } = renderStack();
    add('d1', 'one');
    screen.getByRole('button', { name: 'Keep draft: one' }).focus();
    add('d2', 'one two');
    add('d3', 'one two three');
    expect(prompts()).toEqual(['one']);

    await user.click(screen.getByRole('button', { name: '2 new drafts' }));
    expect(prompts()).toEqual(['one two three', 'one two', 'one']);
  });
});
