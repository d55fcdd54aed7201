import type { CSSProperties } from 'react';

/**
 * Example "generations" drawn with CSS alone: the home page needs no network,
 * no account and no image files to show what the studio makes.
 */
interface Layer {
  style: CSSProperties;
}

export interface Example {
  prompt: string;
  background: string;
  layers: Layer[];
}

const mountains = (color: string, points: string, bottom = '0'): Layer => ({
  style: {
    position: 'absolute',
    inset: 0,
    top: 'auto',
    bottom,
    height: '100%',
    background: color,
    clipPath: `polygon(${points})`,
  },
});

export const EXAMPLES: Example[] = [
  {
    prompt: 'A lighthouse at dusk, oil painting',
    background:
      'linear-gradient(180deg, #1e1b4b 0%, #7c3aed 30%, #f97316 58%, #fbbf24 66%, #0f766e 67%, #134e4a 100%)',
    layers: [
      {
        style: {
          position: 'absolute',
          left: '58%',
          top: '50%',
          width: '22%',
          aspectRatio: '1',
          borderRadius: '9999px',
          background: 'radial-gradient(circle, #fde68a 0%, #f59e0b 55%, transparent 70%)',
          transform: 'translate(-50%, -50%)',
        },
      },
      mountains('#1f2937', '0% 70%, 14% 62%, 26% 66%, 34% 64%, 36% 100%, 0% 100%'),
      {
        style: {
          position: 'absolute',
          left: '22%',
          bottom: '33%',
          width: '6%',
          height: '30%',
          background: 'linear-gradient(90deg, #e5e7eb 0 50%, #9ca3af 50%)',
          clipPath: 'polygon(20% 0, 80% 0, 100% 100%, 0 100%)',
        },
      },
      {
        style: {
          position: 'absolute',
          left: '21%',
          bottom: '62%',
          width: '8%',
          height: '4%',
          background: '#fde047',
          boxShadow: '0 0 24px 8px rgba(253, 224, 71, 0.7)',
          borderRadius: '2px',
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          top: '67%',
          background:
            'repeating-linear-gradient(180deg, rgba(255,255,255,0.12) 0 2px, transparent 2px 9px)',
        },
      },
    ],
  },
  {
    prompt: 'Misty mountains at dawn, layered, calm',
    background: 'linear-gradient(180deg, #fde2e4 0%, #fbcfe8 30%, #c7d2fe 70%, #a5b4fc 100%)',
    layers: [
      {
        style: {
          position: 'absolute',
          left: '30%',
          top: '26%',
          width: '18%',
          aspectRatio: '1',
          borderRadius: '9999px',
          background: '#fff7ed',
          boxShadow: '0 0 60px 20px rgba(255, 237, 213, 0.8)',
        },
      },
      mountains(
        '#a78bfa',
        '0% 55%, 18% 38%, 32% 52%, 52% 30%, 72% 50%, 86% 40%, 100% 52%, 100% 100%, 0% 100%',
      ),
      mountains(
        '#7c3aed',
        '0% 70%, 22% 52%, 40% 66%, 60% 48%, 80% 64%, 100% 56%, 100% 100%, 0% 100%',
      ),
      mountains(
        '#4c1d95',
        '0% 84%, 16% 72%, 34% 82%, 54% 68%, 76% 80%, 100% 70%, 100% 100%, 0% 100%',
      ),
    ],
  },
  {
    prompt: 'Neon city in the rain, cinematic',
    background: 'linear-gradient(180deg, #020617 0%, #312e81 55%, #be185d 100%)',
    layers: [
      {
        style: {
          position: 'absolute',
          inset: 0,
          background:
            'linear-gradient(90deg, transparent 0 8%, #0f172a 8% 20%, transparent 20% 24%, #111827 24% 34%, transparent 34% 40%, #0f172a 40% 56%, transparent 56% 60%, #1e1b4b 60% 74%, transparent 74% 78%, #0f172a 78% 94%, transparent 94%)',
          clipPath:
            'polygon(0 100%, 0 60%, 8% 60%, 8% 30%, 20% 30%, 20% 52%, 24% 52%, 24% 18%, 34% 18%, 34% 46%, 40% 46%, 40% 10%, 56% 10%, 56% 40%, 60% 40%, 60% 24%, 74% 24%, 74% 50%, 78% 50%, 78% 34%, 94% 34%, 94% 100%)',
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          background:
            'repeating-linear-gradient(0deg, transparent 0 10px, rgba(244, 114, 182, 0.55) 10px 12px)',
          clipPath: 'polygon(42% 14%, 54% 14%, 54% 90%, 42% 90%)',
          opacity: 0.8,
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          background:
            'repeating-linear-gradient(0deg, transparent 0 14px, rgba(56, 189, 248, 0.6) 14px 16px)',
          clipPath: 'polygon(62% 28%, 72% 28%, 72% 90%, 62% 90%)',
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          background:
            'repeating-linear-gradient(100deg, transparent 0 14px, rgba(255,255,255,0.16) 14px 15px)',
        },
      },
    ],
  },
  {
    prompt: 'Koi pond from above, watercolor',
    background: 'radial-gradient(circle at 30% 30%, #5eead4 0%, #0d9488 45%, #134e4a 100%)',
    layers: [
      {
        style: {
          position: 'absolute',
          left: '22%',
          top: '30%',
          width: '34%',
          height: '14%',
          borderRadius: '50% 50% 50% 50% / 60% 60% 40% 40%',
          background: 'linear-gradient(90deg, #fb923c, #fff7ed 60%, #ea580c)',
          transform: 'rotate(-24deg)',
          filter: 'blur(0.5px)',
        },
      },
      {
        style: {
          position: 'absolute',
          left: '48%',
          top: '58%',
          width: '30%',
          height: '12%',
          borderRadius: '50%',
          background: 'linear-gradient(90deg, #fef3c7, #f97316 50%, #fef3c7)',
          transform: 'rotate(32deg)',
        },
      },
      {
        style: {
          position: 'absolute',
          left: '8%',
          top: '64%',
          width: '30%',
          aspectRatio: '1',
          borderRadius: '9999px',
          background: 'radial-gradient(circle, #4ade80 0 40%, #15803d 70%, transparent 72%)',
          opacity: 0.9,
        },
      },
      {
        style: {
          position: 'absolute',
          left: '66%',
          top: '8%',
          width: '26%',
          aspectRatio: '1',
          borderRadius: '9999px',
          background: 'radial-gradient(circle, #86efac 0 38%, #166534 68%, transparent 70%)',
          opacity: 0.85,
        },
      },
    ],
  },
  {
    prompt: 'Aurora over a frozen lake, long exposure',
    background:
      'linear-gradient(180deg, #020617 0%, #0f172a 40%, #1e3a8a 62%, #e0f2fe 63%, #94a3b8 100%)',
    layers: [
      {
        style: {
          position: 'absolute',
          inset: 0,
          bottom: '40%',
          background:
            'radial-gradient(ellipse 60% 40% at 40% 40%, rgba(74, 222, 128, 0.75), transparent 70%), radial-gradient(ellipse 40% 30% at 70% 30%, rgba(45, 212, 191, 0.6), transparent 70%), radial-gradient(ellipse 30% 50% at 20% 50%, rgba(167, 139, 250, 0.5), transparent 70%)',
          filter: 'blur(2px)',
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          background:
            'radial-gradient(1px 1px at 10% 12%, #fff, transparent), radial-gradient(1px 1px at 30% 22%, #fff, transparent), radial-gradient(1px 1px at 78% 10%, #fff, transparent), radial-gradient(1.5px 1.5px at 88% 28%, #fff, transparent), radial-gradient(1px 1px at 55% 6%, #fff, transparent)',
        },
      },
      mountains(
        '#0b1120',
        '0% 64%, 12% 56%, 22% 62%, 36% 52%, 50% 62%, 64% 54%, 80% 62%, 100% 55%, 100% 64%, 0% 64%',
      ),
    ],
  },
  {
    prompt: 'Desert dunes under a full moon',
    background: 'linear-gradient(180deg, #0c0a09 0%, #292524 40%, #78350f 100%)',
    layers: [
      {
        style: {
          position: 'absolute',
          right: '16%',
          top: '12%',
          width: '20%',
          aspectRatio: '1',
          borderRadius: '9999px',
          background: 'radial-gradient(circle at 40% 40%, #fefce8, #fde68a 60%, #d97706)',
          boxShadow: '0 0 50px 10px rgba(254, 243, 199, 0.35)',
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          top: '48%',
          borderRadius: '60% 40% 0 0 / 40% 30% 0 0',
          background: 'linear-gradient(160deg, #d97706, #92400e 60%)',
        },
      },
      {
        style: {
          position: 'absolute',
          inset: 0,
          top: '64%',
          left: '-20%',
          borderRadius: '50% 60% 0 0 / 40% 40% 0 0',
          background: 'linear-gradient(200deg, #f59e0b, #b45309 55%, #451a03)',
        },
      },
    ],
  },
];
