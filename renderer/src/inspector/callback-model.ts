// Reading raw callbacks for the inspector: the KIE stage and code inside the body, a one-line
// summary of the effect, and the filters (pure).
import type { CallbackView } from '../../../shared/api.ts';

interface CallbackSummary {
  stage: string;
  code: number | null;
  message: string;
}

export function summarize(callback: CallbackView): CallbackSummary {
  try {
    const body = JSON.parse(callback.body) as {
      code?: unknown;
      msg?: unknown;
      data?: { callbackType?: unknown };
    };
    const stage = typeof body.data?.callbackType === 'string' ? body.data.callbackType : 'separation';
    return {
      stage,
      code: typeof body.code === 'number' ? body.code : null,
      message: typeof body.msg === 'string' ? body.msg : '',
    };
  } catch {
    return { stage: 'unparsable', code: null, message: '' };
  }
}

export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The callback reused a KIE signature that already vouched for another body (nothing applied). */
export function isConflict(callback: CallbackView): boolean {
  const effect = callback.effect as { isConflict?: unknown } | null;
  return typeof effect === 'object' && effect !== null && effect.isConflict === true;
}

/** What the callback changed, in a few words, from the effect the receiver recorded. */
export function effectText(callback: CallbackView): string {
  const effect = callback.effect as Record<string, unknown> | null;
  if (callback.isDuplicate) return 'duplicate, nothing changed';
  if (!effect || typeof effect !== 'object') return 'nothing recorded';
  const parts: string[] = [];
  if (typeof effect.from === 'string' && typeof effect.to === 'string' && effect.from !== effect.to)
    parts.push(`${effect.from} → ${effect.to}`);
  if (typeof effect.tracksAdded === 'number' && effect.tracksAdded > 0)
    parts.push(`${effect.tracksAdded} tracks announced`);
  if (typeof effect.downloadsQueued === 'number' && effect.downloadsQueued > 0)
    parts.push(`${effect.downloadsQueued} downloads queued`);
  if (effect.needsVerification === true) parts.push('confirming with KIE');
  if (typeof effect.note === 'string' && effect.note) parts.push(effect.note);
  return parts.join(' · ') || 'no change';
}

export interface CallbackFilter {
  verdict: string;
  stage: string;
  text: string;
}

export function matches(callback: CallbackView, filter: CallbackFilter): boolean {
  if (filter.verdict && callback.verdict !== filter.verdict) return false;
  if (filter.stage && summarize(callback).stage !== filter.stage) return false;
  const text = filter.text.trim().toLowerCase();
  if (!text) return true;
  return [callback.kieTaskId ?? '', callback.taskId ?? '', callback.body].some((value) =>
    value.toLowerCase().includes(text),
  );
}
