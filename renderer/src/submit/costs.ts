// Credit cost per operation as KIE's pages list them (kie-api.md; prices change, so the UI says
// "about"): shown next to the balance before anything is submitted.
import type { TaskKind } from '../../../shared/domain.ts';

export const OPERATION_COSTS: Record<TaskKind, number> = {
  'add-instrumental': 12,
  'add-vocals': 12,
  separate_vocal: 10,
  split_stem: 50,
  wav: 0,
  // KIE's pricing page lists MIDI transcription as free.
  midi: 0,
};

export function costText(kind: TaskKind, credits: number | undefined): { text: string; isShort: boolean } {
  const cost = OPERATION_COSTS[kind];
  if (credits === undefined) return { text: `About ${cost} credits`, isShort: false };
  // Short: say what is missing and where to get it; the form's Send stays disabled.
  if (credits < cost)
    return {
      text: `Needs ${cost} credits, you have ${formatCredits(credits)} — top up at kie.ai`,
      isShort: true,
    };
  return {
    text: `About ${cost} credits · balance ${formatCredits(credits)} → ${formatCredits(credits - cost)}`,
    isShort: false,
  };
}

export function formatCredits(credits: number): string {
  return Number.isInteger(credits) ? credits.toLocaleString('en-US') : credits.toFixed(1);
}
