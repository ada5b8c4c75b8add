// Studio keyboard shortcuts: Space play/pause, S solo, M mute (selected lane), L loop, I and O set
// the loop's start and end at the playhead (in/out, as in most DAWs), [ and ] jump to the
// previous/next song section, arrows move the playhead (Shift: 5 s) or the lane selection, +/-
// zoom, A cycles A/B. Ignored while typing.
import { useEffect, useRef } from 'react';
import { toggledIsOn, type LoopRegion } from '../audio/loop.ts';
import type { StudioAction, StudioState } from './mix-model.ts';

export interface StudioKeyActions {
  state: StudioState;
  dispatch: (action: StudioAction) => void;
  toggle: () => void;
  stop: () => void;
  seekBy: (seconds: number) => void;
  /** Moves to the previous (-1) or next (1) section start, when the song has sections. */
  jumpSection: (direction: -1 | 1) => void;
  /** The playhead and the song's length, in seconds: where I and O put the loop's ends. */
  position: () => number;
  total: number;
  hasSource: boolean;
}

/**
 * One end of the loop at the playhead, switched on. When the new end would cross the other one,
 * the other moves to the song's edge, so "[" then "]" always makes the region between the presses.
 */
export function loopPointAt(loop: LoopRegion, which: 'start' | 'end', at: number, total: number): LoopRegion {
  if (which === 'start') return { isOn: true, start: at, end: loop.end > at ? loop.end : total };
  return { isOn: true, start: loop.start < at ? loop.start : 0, end: at };
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  return (
    target.tagName === 'INPUT' &&
    (target as HTMLInputElement).type !== 'range' &&
    (target as HTMLInputElement).type !== 'checkbox'
  );
}

export function useStudioKeys(isActive: boolean, actions: StudioKeyActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    if (!isActive) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target))
        return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const { state, dispatch, toggle, stop, seekBy, jumpSection, position, total, hasSource } =
        latest.current;
      const isSlider = event.target instanceof HTMLInputElement && event.target.type === 'range';
      const selected = state.selectedId;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      let isHandled = true;
      if (key === ' ') toggle();
      else if (key === 's' && selected) dispatch({ type: 'toggle', id: selected, what: 'isSoloed' });
      else if (key === 'm' && selected) dispatch({ type: 'toggle', id: selected, what: 'isMuted' });
      else if (key === 'l') dispatch({ type: 'loop', patch: { isOn: toggledIsOn(state.loop) } });
      else if (key === 'i' || key === 'o')
        dispatch({
          type: 'loop',
          patch: loopPointAt(state.loop, key === 'i' ? 'start' : 'end', position(), total),
        });
      else if (key === 'a' && hasSource)
        dispatch({ type: 'ab', value: state.ab === 'off' ? 'a' : state.ab === 'a' ? 'b' : 'off' });
      else if (key === '+' || key === '=') dispatch({ type: 'zoom', step: 1 });
      else if (key === '-' || key === '_') dispatch({ type: 'zoom', step: -1 });
      else if (key === '0') dispatch({ type: 'zoom', step: 'fit' });
      else if (key === 'Home') stop();
      else if (key === '[') jumpSection(-1);
      else if (key === ']') jumpSection(1);
      else if (isSlider) isHandled = false;
      else if (key === 'ArrowLeft') seekBy(event.shiftKey ? -5 : -1);
      else if (key === 'ArrowRight') seekBy(event.shiftKey ? 5 : 1);
      else if (key === 'ArrowUp') dispatch({ type: 'selectNext', step: -1 });
      else if (key === 'ArrowDown') dispatch({ type: 'selectNext', step: 1 });
      else isHandled = false;
      if (isHandled) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isActive]);
}
