import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Config, GenerationRequest } from '../../../types/api';
import { makeConfig, renderWithProviders } from '../../../test/utils';
import { ImageGenerator } from './ImageGenerator';
import { useGenerateForm } from '../hooks/useGenerateForm';

function Harness({
  config,
  onGenerate,
  initial,
}: {
  config: Config;
  onGenerate: (r: GenerationRequest) => void;
  initial?: Partial<GenerationRequest>;
}) {
  const [init] = useState(initial);
  const form = useGenerateForm(config, init);
  return <ImageGenerator form={form} onGenerate={onGenerate} />;
}

const twoModels = makeConfig(
  {
    default_model: 'flux-schnell',
    provider: 'together',
    models: [
      {
        id: 'flux-schnell',
        label: 'FLUX.1 schnell',
        steps: { min: 1, max: 12, default: 4 },
        width: { min: 256, max: 1440, multiple_of: 16 },
        height: { min: 256, max: 1440, multiple_of: 16 },
        max_images: 4,
        negative_prompt: false,
        price_per_megapixel_usd: 0.0027,
      },
      {
        id: 'flux-dev',
        label: 'FLUX.1 dev',
        steps: { min: 10, max: 50, default: 28 },
        width: { min: 256, max: 1024, multiple_of: 16 },
        height: { min: 256, max: 1024, multiple_of: 16 },
        max_images: 2,
        negative_prompt: true,
        price_per_megapixel_usd: 0.025,
      },
    ],
  },
  1500,
);

describe('ImageGenerator builds from /api/config', () => {
  it('shows the prompt limit, presets, styles and image counts from the config', () => {
    renderWithProviders(<Harness config={makeConfig({}, 2000)} onGenerate={vi.fn()} />);
    expect(screen.getByTestId('prompt-count')).toHaveTextContent('0 / 2,000');
    // One model configured: no picker.
    expect(screen.queryByLabelText('Model')).not.toBeInTheDocument();
    const ratios = within(screen.getByRole('group', { name: 'Aspect ratio' })).getAllByRole(
      'radio',
    );
    expect(ratios.map((r) => r.getAttribute('value'))).toEqual(['1:1', '4:3', '9:16']);
    expect(screen.getByRole('radio', { name: '1:1 (1024 × 1024)' })).toBeChecked();
    const steps = screen.getByLabelText('Steps');
    expect(steps).toHaveAttribute('min', '1');
    expect(steps).toHaveAttribute('max', '8');
    expect(steps).toHaveValue('4');
    const counts = within(screen.getByRole('group', { name: 'Images' })).getAllByRole('radio');
    expect(counts).toHaveLength(4);
    const style = screen.getByLabelText('Style');
    expect(
      within(style)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['None', 'Watercolor']);
  });

  it('offers a model picker when several models exist and follows the chosen model limits', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Harness config={twoModels} onGenerate={vi.fn()} />);
    expect(screen.getByTestId('prompt-count')).toHaveTextContent('0 / 1,500');
    const picker = screen.getByLabelText('Model');
    expect(picker).toHaveValue('flux-schnell');
    expect(screen.queryByLabelText(/negative prompt/i)).not.toBeInTheDocument();

    await user.selectOptions(picker, 'flux-dev');
    expect(screen.getByLabelText('Steps')).toHaveAttribute('max', '50');
    expect(screen.getByLabelText('Steps')).toHaveValue('10');
    expect(
      within(screen.getByRole('group', { name: 'Images' })).getAllByRole('radio'),
    ).toHaveLength(2);
    // 768×1344 exceeds this model's 1024 px limit, so that preset is hidden.
    expect(screen.queryByRole('radio', { name: /9:16/ })).not.toBeInTheDocument();
    expect(screen.getByLabelText(/negative prompt/i)).toBeInTheDocument();
  });

  it('shows the expected cost of the request before it is sent: n × size × price', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Harness config={twoModels} onGenerate={vi.fn()} />);
    // One 1024 × 1024 image at $0.0027 per megapixel.
    expect(screen.getByTestId('expected-cost')).toHaveTextContent('Expected cost: ≈ $0.0028');
    await user.click(screen.getByRole('radio', { name: '4 images' }));
    expect(screen.getByTestId('expected-cost')).toHaveTextContent('≈ $0.0113');
    await user.click(screen.getByRole('radio', { name: '4:3 (1024 × 768)' }));
    expect(screen.getByTestId('expected-cost')).toHaveTextContent('≈ $0.0085');
  });

  it('says an engine with no price is free', () => {
    renderWithProviders(<Harness config={makeConfig()} onGenerate={vi.fn()} />);
    expect(screen.getByTestId('expected-cost')).toHaveTextContent('Expected cost: free');
  });

  it('generates with Ctrl+Enter, sending the chosen settings and a fresh seed', async () => {
    const user = userEvent.setup();
    const onGenerate = vi.fn();
    renderWithProviders(<Harness config={makeConfig()} onGenerate={onGenerate} />);
    await user.type(screen.getByLabelText('Prompt'), 'a red fox');
    await user.click(screen.getByRole('radio', { name: '4:3 (1024 × 768)' }));
    await user.click(screen.getByRole('radio', { name: '2 images' }));
    await user.selectOptions(screen.getByLabelText('Style'), 'watercolor');
    fireEvent.keyDown(screen.getByLabelText('Prompt'), { key: 'Enter', ctrlKey: true });

    expect(onGenerate).toHaveBeenCalledTimes(1);
    const request = onGenerate.mock.calls[0]?.[0] as GenerationRequest;
    expect(request).toMatchObject({
      prompt: 'a red fox',
      model: 'offline-preview',
      width: 1024,
      height: 768,
      steps: 4,
      n: 2,
      style: 'watercolor',
    });
    expect(Number.isInteger(request.seed)).toBe(true);
    expect(screen.getByLabelText('Seed')).toHaveValue(String(request.seed));
  });

  it('keeps a locked seed and refills from "use these settings"', async () => {
    const onGenerate = vi.fn();
    renderWithProviders(
      <Harness
        config={makeConfig()}
        onGenerate={onGenerate}
        initial={{
          prompt: 'koi pond',
          width: 768,
          height: 1344,
          steps: 6,
          seed: 42,
          style: 'none',
        }}
      />,
    );
    expect(screen.getByLabelText('Prompt')).toHaveValue('koi pond');
    expect(screen.getByRole('radio', { name: '9:16 (768 × 1344)' })).toBeChecked();
    expect(screen.getByRole('button', { name: 'Lock seed' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Generate' }));
    expect(onGenerate.mock.calls[0]?.[0]).toMatchObject({ seed: 42, steps: 6, width: 768 });
  });

  it('refuses an empty or over-long prompt', async () => {
    const user = userEvent.setup();
    const onGenerate = vi.fn();
    renderWithProviders(<Harness config={makeConfig({}, 10)} onGenerate={onGenerate} />);
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(screen.getByText('Describe the picture you want.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Prompt'), 'eleven char');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    expect(screen.getByText('Keep the prompt under 10 characters.')).toBeInTheDocument();
    expect(onGenerate).not.toHaveBeenCalled();
  });
});
