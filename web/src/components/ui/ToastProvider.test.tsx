import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastProvider } from './ToastProvider';
import { useToast, type ToastOptions } from './toast';

function Trigger({ toast }: { toast: ToastOptions }) {
  const { show } = useToast();
  return (
    <button type="button" onClick={() => show(toast)}>
      Show
    </button>
  );
}

function renderToasts(toast: ToastOptions, max?: number) {
  const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
  render(
    <ToastProvider max={max}>
      <Trigger toast={toast} />
    </ToastProvider>,
  );
  return { user, show: () => user.click(screen.getByRole('button', { name: 'Show' })) };
}

const wait = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('Toasts', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces politely and closes by itself after five seconds', async () => {
    const { show } = renderToasts({ message: 'Moved to the trash' });
    const region = screen.getByRole('status');
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(region).toBeEmptyDOMElement();

    await show();
    expect(within(region).getByText('Moved to the trash')).toBeInTheDocument();
    await wait(4500);
    expect(screen.getByText('Moved to the trash')).toBeInTheDocument();
    await wait(600);
    expect(screen.queryByText('Moved to the trash')).not.toBeInTheDocument();
  });

  it('runs its action once and closes; the dismiss button closes it too', async () => {
    const undo = vi.fn();
    const { user, show } = renderToasts({
      message: 'Moved to the trash',
      action: { label: 'Undo', onClick: undo },
    });
    await show();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Moved to the trash')).not.toBeInTheDocument();

    await show();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('Moved to the trash')).not.toBeInTheDocument();
    expect(undo).toHaveBeenCalledTimes(1);
  });

  it('waits while the pointer is over it or focus is inside, then finishes its time', async () => {
    const { user, show } = renderToasts({
      message: 'Moved to the trash',
      action: { label: 'Undo', onClick: () => {} },
    });
    await show();
    const toast = screen.getByTestId('toast');
    await wait(3000);
    await user.hover(toast);
    await wait(10_000);
    expect(screen.getByText('Moved to the trash')).toBeInTheDocument();
    await user.unhover(toast);
    await wait(1900);
    expect(screen.getByText('Moved to the trash')).toBeInTheDocument();

    // Focus on Undo (reached by keyboard) holds it as well.
    act(() => screen.getByRole('button', { name: 'Undo' }).focus());
    await wait(10_000);
    expect(screen.getByText('Moved to the trash')).toBeInTheDocument();
    act(() => screen.getByRole('button', { name: 'Undo' }).blur());
    await wait(200);
    expect(screen.queryByText('Moved to the trash')).not.toBeInTheDocument();
  });

  it('reads errors out at once', async () => {
    const { show } = renderToasts({ message: 'Could not move it', tone: 'error' });
    await show();
    expect(within(screen.getByRole('alert')).getByText('Could not move it')).toBeInTheDocument();
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('keeps only the newest few', async () => {
    let n = 0;
    function Counter() {
      const { show } = useToast();
      return (
        <button type="button" onClick={() => show({ message: `toast ${++n}` })}>
          Show
        </button>
      );
    }
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    render(
      <ToastProvider max={2}>
        <Counter />
      </ToastProvider>,
    );
    for (let i = 0; i < 3; i++) await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toEqual([
      'toast 2',
      'toast 3',
    ]);
  });
});
