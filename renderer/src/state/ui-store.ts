// UI-only state in one small store: the current view, selections, the file being submitted, the
// studio's task and notices. Server data lives in the query cache, never here.
import { useSyncExternalStore } from 'react';
import { createEmitter } from '../../../shared/emitter.ts';

export type ViewName = 'library' | 'studio' | 'inspector' | 'settings';

interface Notice {
  id: number;
  tone: 'info' | 'error' | 'success';
  text: string;
}

/** A dropped or picked file, or (desktop) a file on disk the shell handed over. */
export type SubmitFile = File | { path: string; name: string };

interface UiState {
  view: ViewName;
  selectedTaskId: string | null;
  studioTaskId: string | null;
  /** A file dropped or picked, waiting in the submit dialog. */
  submitFile: SubmitFile | null;
  isSubmitOpen: boolean;
  inspectorTaskId: string | null;
  notices: Notice[];
}

let state: UiState = {
  view: 'library',
  selectedTaskId: null,
  studioTaskId: null,
  submitFile: null,
  isSubmitOpen: false,
  inspectorTaskId: null,
  notices: [],
};
const events = createEmitter<{ change: void }>();
let nextNoticeId = 1;

export function setUi(patch: Partial<UiState> | ((current: UiState) => Partial<UiState>)): void {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
  events.emit('change');
}

export function useUi<T>(select: (ui: UiState) => T): T {
  return useSyncExternalStore(
    (listener) => events.on('change', listener),
    () => select(state),
  );
}

export function notify(tone: Notice['tone'], text: string, timeoutMs = 4500): void {
  const id = nextNoticeId++;
  setUi((ui) => ({ notices: [...ui.notices.slice(-2), { id, tone, text }] }));
  if (timeoutMs > 0) setTimeout(() => dismissNotice(id), timeoutMs);
}

export function dismissNotice(id: number): void {
  setUi((ui) => ({ notices: ui.notices.filter((n) => n.id !== id) }));
}

export function openStudio(taskId: string): void {
  setUi({ view: 'studio', studioTaskId: taskId, selectedTaskId: taskId });
}

export function openSubmit(file: SubmitFile | null): void {
  setUi({ isSubmitOpen: true, submitFile: file });
}
