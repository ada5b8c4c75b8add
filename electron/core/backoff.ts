// Growing retry delays for background work that hit a fault it can survive (a full disk, a busy
// database): the first retry is quick, later ones settle at the cap.

export function createBackoff(firstMs = 250, maxMs = 5000) {
  let failures = 0;
  return {
    next(): number {
      return Math.min(maxMs, firstMs * 2 ** failures++);
    },
    reset(): void {
      failures = 0;
    },
  };
}
