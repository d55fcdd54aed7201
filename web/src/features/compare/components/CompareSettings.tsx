import type { ReactNode } from 'react';
import { findModel, useConfig } from '../../../lib/config';
import type { Config, Image } from '../../../types/api';
import { cn } from '../../../utils/cn';
import { formatDateTime } from '../../../utils/format';
import { PromptDiff } from '../../../components/prompt/PromptDiff';

interface Row {
  label: string;
  /** What is compared: rows whose values are not all equal are marked. */
  value: (image: Image) => string;
  /** How a cell shows (the value itself unless said otherwise). */
  show?: (image: Image, first: Image) => ReactNode;
}

function rows(config: Config | undefined): Row[] {
  const modelLabel = (id: string) => {
    const model = config ? findModel(config, id) : undefined;
    return model && model.id === id ? model.label : id;
  };
  const styleLabel = (id: string) =>
    config?.generation.styles.find((s) => s.id === id)?.label ?? id;
  return [
    {
      label: 'Prompt',
      value: (i) => i.prompt,
      show: (i, first) =>
        i === first ? i.prompt : <PromptDiff base={first.prompt} prompt={i.prompt} />,
    },
    { label: 'Negative prompt', value: (i) => i.negative_prompt ?? '—' },
    { label: 'Model', value: (i) => modelLabel(i.model) },
    {
      label: 'Seed',
      value: (i) => String(i.seed),
      show: (i) => <span className="font-mono">{i.seed}</span>,
    },
    { label: 'Steps', value: (i) => String(i.steps) },
    { label: 'Size', value: (i) => `${i.width} × ${i.height}` },
    { label: 'Style', value: (i) => styleLabel(i.style) },
    { label: 'Created', value: (i) => formatDateTime(i.created_at) },
  ];
}

/**
 * The settings of the compared images, a row each, a column per image
 * (`shown`: the columns to draw; on a phone only the large image's). Rows
 * whose values differ across all the images are marked, in words as well as
 * colour; the prompt shows its word differences from the first image's.
 */
export function CompareSettings({
  images,
  shown = images,
  names,
}: {
  images: Image[];
  shown?: Image[];
  /** Each image's name ("Image 1"), by id. */
  names: Map<string, string>;
}) {
  const config = useConfig();
  const first = images[0];
  if (!first) return null;
  return (
    <div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400" id="compare-legend">
        Rows that differ are marked “Differs”. In the prompts,{' '}
        <ins className="underline decoration-2 underline-offset-2">underlined</ins> words are not in
        Image 1’s prompt and <del className="line-through decoration-2">struck-through</del> words
        of Image 1’s prompt are missing.
      </p>
      <div className="mt-3 overflow-hidden rounded-2xl border border-zinc-200 dark:border-zinc-800">
        <table
          className="w-full table-fixed border-collapse text-sm"
          aria-describedby="compare-legend"
        >
          <caption className="sr-only">Settings of the compared images</caption>
          <thead className="bg-zinc-50 dark:bg-zinc-900">
            <tr>
              <th scope="col" className="w-28 px-3 py-2 text-left sm:w-36">
                <span className="sr-only">Setting</span>
              </th>
              {shown.map((image) => (
                <th key={image.id} scope="col" className="px-3 py-2 text-left font-semibold">
                  {names.get(image.id)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows(config.data).map((row) => {
              const differs = new Set(images.map(row.value)).size > 1;
              return (
                <tr
                  key={row.label}
                  data-differs={differs || undefined}
                  className={cn(
                    'border-t border-zinc-200 align-top dark:border-zinc-800',
                    differs && 'bg-amber-50 dark:bg-amber-500/10',
                  )}
                >
                  <th
                    scope="row"
                    className={cn(
                      'px-3 py-2.5 text-left font-medium text-zinc-600 dark:text-zinc-400',
                      differs && 'border-l-4 border-amber-400',
                    )}
                  >
                    {row.label}
                    {differs && (
                      <span className="mt-1 block w-fit rounded-full bg-amber-200 px-2 py-0.5 text-xs font-semibold text-amber-950 dark:bg-amber-400/30 dark:text-amber-100">
                        Differs
                      </span>
                    )}
                  </th>
                  {shown.map((image) => (
                    <td key={image.id} className="break-words px-3 py-2.5 leading-relaxed">
                      {row.show ? row.show(image, first) : row.value(image)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
