/** The words a bulk action reports with: how many it did, and why the rest could not be. */
import type { BulkFailure } from '../types/api';

export const images = (n: number) => `${n} image${n === 1 ? '' : 's'}`;

/** Why an image could not be, for one image or several. */
const REASONS: Record<string, [string, string]> = {
  not_found: ['not found', 'not found'],
  favorite_protected: ['a favourite', 'favourites'],
  internal_error: ['a server error', 'server errors'],
};

const reason = (code: string, n: number) =>
  REASONS[code]?.[n === 1 ? 0 : 1] ?? code.replaceAll('_', ' ');

/** "1 could not be: not found", "3 could not be: 2 not found, 1 a favourite". */
export function couldNotBe(failed: BulkFailure[]): string {
  const byCode = new Map<string, number>();
  for (const { code } of failed) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  const codes = [...byCode];
  const why =
    codes.length === 1
      ? reason(codes[0]![0], failed.length)
      : codes.map(([code, n]) => `${n} ${reason(code, n)}`).join(', ');
  return `${failed.length} could not be: ${why}`;
}

/** "4 moved to the trash; 1 could not be: not found." */
export function partly(done: number, what: string, failed: BulkFailure[]): string {
  return `${done} ${what}; ${couldNotBe(failed)}.`;
}
