// Deterministic ids and pseudo-random numbers derived from the simulator seed, so runs are reproducible.

/** 32-bit FNV-1a over the joined parts; used to derive independent seeds. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for synthetic audio and ids. Returns floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface IdSource {
  /** 32 lowercase hex chars, like real KIE task ids. */
  taskId(): string;
  uuid(): string;
  seed(): number;
}

export function createIdSource(seed: number): IdSource {
  const random = createRandom(hashSeed('ids', seed));
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return {
    taskId: () => hex(32),
    uuid: () => {
      const h = hex(32);
      const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    seed: () => Math.floor(random() * 4294967296) >>> 0,
  };
}
