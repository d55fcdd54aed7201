import type { Example } from './examples';

export function ExampleArt({ example, className }: { example: Example; className?: string }) {
  return (
    <figure className={className}>
      <div
        role="img"
        aria-label={example.prompt}
        className="relative aspect-[4/5] overflow-hidden rounded-2xl shadow-lg ring-1 ring-black/5 dark:ring-white/10"
        style={{ background: example.background }}
      >
        {example.layers.map((layer, i) => (
          <div key={i} aria-hidden="true" style={layer.style} />
        ))}
      </div>
      <figcaption className="mt-2 line-clamp-1 text-xs text-zinc-600 dark:text-zinc-400">
        “{example.prompt}”
      </figcaption>
    </figure>
  );
}
