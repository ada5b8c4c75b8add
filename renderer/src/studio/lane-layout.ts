// Sizes of the studio's lanes: how tall each lane is for the room on screen, and which peaks
// resolution to ask for at a zoom (pure).
export const HEADER_WIDTH = 330;
const RULER_HEIGHT = 27;
const MIN_LANE = 40;
const MAX_LANE = 112;
/** A lyrics lane is one line of text, whatever the room. */
export const LYRICS_LANE_HEIGHT = 40;

/** Lanes share the height on screen (13 fit at 1280x800), within readable limits. */
export function laneHeight(count: number, available: number): number {
  return Math.max(MIN_LANE, Math.min(MAX_LANE, Math.floor((available - RULER_HEIGHT) / Math.max(1, count))));
}

/** Peaks resolution for the zoom: a power of two, so zooming refetches rarely. */
export function peakPixels(total: number, pxPerSec: number): number {
  const wanted = Math.max(512, Math.min(65536, total * pxPerSec));
  return 2 ** Math.ceil(Math.log2(wanted));
}
