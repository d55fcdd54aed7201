/** Seeds stay within a signed 32-bit integer, which every backend accepts. */
export const MAX_SEED = 2_147_483_647;

export function randomSeed(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return (buf[0] ?? 0) % (MAX_SEED + 1);
}

/** RFC 4122 v4 UUID; works on plain-HTTP origins where randomUUID is missing. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The server's largest seed (u32::MAX). Image `i` of a request with seed `s`
 * gets `(s + i) mod (MAX + 1)`: sending the images one by one with these
 * seeds reproduces what one request for all of them would.
 */
export const SERVER_MAX_SEED = 4_294_967_295;

export function seedOfImage(first: number, index: number): number {
  return (first + index) % (SERVER_MAX_SEED + 1);
}
