import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../test/utils';
import type { ModelConfig } from '../../../types/api';
import { fastestSettings } from './requests';

const base = makeConfig().generation.models[0]!;
const model = (overrides: Partial<ModelConfig>): ModelConfig => ({ ...base, ...overrides });

describe("a draft's settings", () => {
  it("are the model's fewest steps at 512 × 512", () => {
    expect(fastestSettings(model({ steps: { min: 1, max: 8, default: 4 } }))).toEqual({
      steps: 1,
      width: 512,
      height: 512,
    });
  });

  it('move 512 into the sizes the model accepts', () => {
    const settings = fastestSettings(
      model({
        steps: { min: 10, max: 50, default: 28 },
        width: { min: 768, max: 1440, multiple_of: 16 },
        height: { min: 256, max: 400, multiple_of: 64 },
      }),
    );
    expect(settings).toEqual({ steps: 10, width: 768, height: 384 });
  });
});
