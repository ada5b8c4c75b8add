// What a result file may decode to: channel and rate ranges a real take has, and how long it may run
// against what KIE announced, so a lying header or a decode bomb is refused before it fills memory
// or the disk.

export const MIN_CHANNELS = 1;
export const MAX_CHANNELS = 8;
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 384_000;

/**
 * No Suno take runs longer than 8 minutes (kie-api.md §2: the upload endpoints cap input at 8
 * minutes; generations are shorter); 10 minutes leaves room for a long extend or a WAV conversion.
 */
export const MAX_TAKE_SECONDS = 10 * 60;

/** A decoded file may exceed KIE's `duration` by this factor plus this slack before it is refused. */
const ANNOUNCED_FACTOR = 1.5;
const ANNOUNCED_SLACK_SECONDS = 15;

/** The longest decode accepted for a result whose announced duration is this (null: not announced). */
export function maxDecodeSeconds(announcedSec: number | null): number {
  if (announcedSec === null || !Number.isFinite(announcedSec) || announcedSec <= 0) return MAX_TAKE_SECONDS;
  return Math.min(MAX_TAKE_SECONDS, announcedSec * ANNOUNCED_FACTOR + ANNOUNCED_SLACK_SECONDS);
}

/** The plain refusal when a file decodes past `maxSeconds`. */
export function tooLongMessage(maxSeconds: number): string {
  return `the audio runs longer than ${Math.round(maxSeconds)} s, far more than KIE announced for this take; it was not kept`;
}

/** Why a format is outside what a real take can be, or null. */
export function formatProblem(channels: number, sampleRate: number): string | null {
  if (channels < MIN_CHANNELS || channels > MAX_CHANNELS)
    return `the file claims ${channels} channels (a take has ${MIN_CHANNELS}-${MAX_CHANNELS})`;
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    return `the file claims a sample rate of ${sampleRate} Hz (a take has ${MIN_SAMPLE_RATE / 1000}-${MAX_SAMPLE_RATE / 1000} kHz)`;
  return null;
}
