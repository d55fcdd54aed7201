/**
 * Generations and images per day over the last 30 days, side by side, in
 * plain SVG. Screen readers get a summary (the chart's label) and every
 * value (a visually hidden table); a day without activity shows as a zero
 * mark, never as a gap.
 */
import { cn } from '../../../utils/cn';
import { formatNumber } from '../../../utils/format';
import type { DayStats } from '../api/stats';

/** viewBox units per day; the bars take 3 each, with gaps between the days. */
const DAY_WIDTH = 10;
const HEIGHT = 100;
/** The least a non-zero bar shows, so 1 beside 1,000 is still seen. */
const MIN_BAR = 1.5;

/** The plot's height; the axis labels beside it share it. */
const PLOT_HEIGHT = 'h-48 sm:h-56';

const GENERATIONS_FILL = 'fill-brand-300 dark:fill-brand-700';
const IMAGES_FILL = 'fill-brand-600 dark:fill-brand-400';

/** 1, 2, 4, 6, 8, 10, 20, 40…: the first at or above `n`, so the middle line is a whole number. */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 4, 6, 8, 10].map((f) => f * power).find((v) => v >= n) ?? 10 * power;
}

/** `2026-11-03` is a UTC day: shown as that day wherever the reader is. */
const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const shortDay = (day: string) =>
  asDate(day).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDay = (day: string) =>
  asDate(day).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

const count = (n: number, what: string) => `${formatNumber(n)} ${what}${n === 1 ? '' : 's'}`;

function summary(days: DayStats[]): string {
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return 'Generations and images per day: no days to show.';
  const generations = days.reduce((sum, d) => sum + d.generations, 0);
  const images = days.reduce((sum, d) => sum + d.images, 0);
  const busiest = days.reduce((best, d) => (d.images > best.images ? d : best), first);
  const text =
    `Generations and images per day, ${longDay(first.day)} to ${longDay(last.day)}: ` +
    `${count(generations, 'generation')} and ${count(images, 'image')} in all`;
  return busiest.images > 0
    ? `${text}; the busiest day was ${longDay(busiest.day)}, with ${count(busiest.images, 'image')}.`
    : `${text}.`;
}

function Bar({ x, value, max, fill }: { x: number; value: number; max: number; fill: string }) {
  const height = value > 0 ? Math.max(MIN_BAR, (value / max) * HEIGHT) : 0.8;
  return (
    <rect
      x={x}
      y={HEIGHT - height}
      width={3}
      height={height}
      rx={value > 0 ? 0.6 : 0}
      className={value > 0 ? fill : 'fill-zinc-300 dark:fill-zinc-700'}
    />
  );
}

export function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      <li className="flex items-center gap-1.5">
        <svg className="size-2.5" aria-hidden="true">
          <rect width="10" height="10" rx="2" className={GENERATIONS_FILL} />
        </svg>
        Generations
      </li>
      <li className="flex items-center gap-1.5">
        <svg className="size-2.5" aria-hidden="true">
          <rect width="10" height="10" rx="2" className={IMAGES_FILL} />
        </svg>
        Images
      </li>
    </ul>
  );
}

export function DailyChart({ days }: { days: DayStats[] }) {
  const max = niceMax(Math.max(0, ...days.flatMap((d) => [d.generations, d.images])));
  const half = max / 2;
  const width = Math.max(1, days.length) * DAY_WIDTH;
  const columns = { gridTemplateColumns: `repeat(${Math.max(1, days.length)}, minmax(0, 1fr))` };

  return (
    <div>
      <div className="flex gap-2">
        <div
          aria-hidden="true"
          className={cn(
            'relative w-9 shrink-0 text-right text-xs tabular-nums text-zinc-500 dark:text-zinc-400',
            PLOT_HEIGHT,
          )}
        >
          <span className="absolute right-0 top-0 -translate-y-1/2">{formatNumber(max)}</span>
          {Number.isInteger(half) && (
            <span className="absolute right-0 top-1/2 -translate-y-1/2">{formatNumber(half)}</span>
          )}
          <span className="absolute bottom-0 right-0 translate-y-1/2">0</span>
        </div>
        <div className="min-w-0 flex-1">
          <svg
            role="img"
            aria-label={summary(days)}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            preserveAspectRatio="none"
            className={cn('block w-full overflow-visible', PLOT_HEIGHT)}
          >
            {[0, HEIGHT / 2, HEIGHT].map((y) => (
              <line
                key={y}
                x1={0}
                x2={width}
                y1={y}
                y2={y}
                vectorEffect="non-scaling-stroke"
                className={
                  y === HEIGHT
                    ? 'stroke-zinc-300 dark:stroke-zinc-700'
                    : 'stroke-zinc-200 [stroke-dasharray:3_3] dark:stroke-zinc-800'
                }
              />
            ))}
            {days.map((d, i) => (
              <g key={d.day}>
                <title>{`${longDay(d.day)}: ${count(d.generations, 'generation')}, ${count(d.images, 'image')}`}</title>
                {/* The whole column answers hover, not only its bars. */}
                <rect
                  x={i * DAY_WIDTH}
                  y={0}
                  width={DAY_WIDTH}
                  height={HEIGHT}
                  className="fill-transparent hover:fill-zinc-900/5 dark:hover:fill-white/5"
                />
                <Bar
                  x={i * DAY_WIDTH + 1.5}
                  value={d.generations}
                  max={max}
                  fill={GENERATIONS_FILL}
                />
                <Bar x={i * DAY_WIDTH + 5} value={d.images} max={max} fill={IMAGES_FILL} />
              </g>
            ))}
          </svg>
          <div
            aria-hidden="true"
            className="mt-2 grid text-xs text-zinc-500 dark:text-zinc-400"
            style={columns}
          >
            {days.map((d, i) => (
              <span key={d.day} className="flex justify-center whitespace-nowrap">
                {/* Weekly, counting back from today, so the last day is always named. */}
                {(days.length - 1 - i) % 7 === 0 ? shortDay(d.day) : ''}
              </span>
            ))}
          </div>
        </div>
      </div>
      <table className="sr-only">
        <caption>Generations and images per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Generations</th>
            <th scope="col">Images</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{longDay(d.day)}</th>
              <td>{formatNumber(d.generations)}</td>
              <td>{formatNumber(d.images)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
