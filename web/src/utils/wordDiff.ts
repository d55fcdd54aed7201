/**
 * Word-level differences between two prompts, against the first one: words
 * of `other` that the first prompt does not have are `added`, words of the
 * first prompt that `other` does not have are `removed`. A word both have
 * (in any place, in any case, with or without punctuation) is the same.
 * The longest common run of words decides where removed words show.
 */

export type DiffKind = 'same' | 'added' | 'removed';

export interface DiffPart {
  kind: DiffKind;
  /** One or more words, as written, joined by single spaces. */
  text: string;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** "Lighthouse," and "lighthouse" are one word; a lone "-" stays itself. */
function normal(word: string): string {
  const core = word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  return core || word;
}

/** Lengths of the longest common subsequences of every pair of suffixes. */
function lcsTable(a: string[], b: string[]): number[][] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] =
        a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  return table;
}

/** `other`'s words marked against `base`'s, neighbours of one kind joined into one part. */
export function diffWords(base: string, other: string): DiffPart[] {
  const a = words(base);
  const b = words(other);
  const na = a.map(normal);
  const nb = b.map(normal);
  const inA = new Set(na);
  const inB = new Set(nb);
  const table = lcsTable(na, nb);
  const parts: DiffPart[] = [];
  const push = (kind: DiffKind, text: string) => {
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += ` ${text}`;
    else parts.push({ kind, text });
  };

  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && na[i] === nb[j]) {
      push('same', b[j]!);
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && table[i + 1]![j]! >= table[i]![j + 1]!)) {
      // A word of the first prompt: missing here only if it is nowhere in this one.
      if (!inB.has(na[i]!)) push('removed', a[i]!);
      i++;
    } else {
      push(inA.has(nb[j]!) ? 'same' : 'added', b[j]!);
      j++;
    }
  }
  return parts;
}
