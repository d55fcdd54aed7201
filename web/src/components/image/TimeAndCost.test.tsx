import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../test/fixtures';
import { ImageTimeAndCost } from './TimeAndCost';

describe("an image's time and cost", () => {
  it("shows the whole request's time when recorded, and the cost", () => {
    render(
      <ImageTimeAndCost
        image={makeImage('a', { timings: { inference_ms: 640, total_ms: 840 }, cost_usd: 0.00283 })}
      />,
    );
    expect(screen.getByTestId('time-and-cost')).toHaveTextContent('0.8 s · $0.0028');
  });

  it("falls back to the engine's time, and says free on an engine with no price", () => {
    render(
      <ImageTimeAndCost image={makeImage('a', { timings: { inference_ms: 12 }, cost_usd: 0 })} />,
    );
    expect(screen.getByTestId('time-and-cost')).toHaveTextContent('12 ms · free');
  });

  it('shows nothing for an image made before either was recorded', () => {
    render(<ImageTimeAndCost image={makeImage('a', { timings: {}, cost_usd: null })} />);
    expect(screen.queryByTestId('time-and-cost')).not.toBeInTheDocument();
  });
});
