// The contract's method implementations over the core's parts. Transport (IPC, local HTTP API)
// lives elsewhere; these throw typed errors that `toApiError` turns into the Result envelope.
import type { ApiHandlers, CallbackView, HostStatus, SubmitInput } from '../../../shared/api.ts';
import type { TaskState, TaskView } from '../../../shared/domain.ts';
import { readPeaksLevel, toWaveSurferPeaks } from '../audio/index.ts';
import type { KieClient } from '../kie/index.ts';
import { processCallback, type CallbackOutcome } from '../receiver/process-callback.ts';
import type { CallbackRow, Store } from '../store/index.ts';
import { BadRequestError, NotFoundError } from './api-errors.ts';
import { isMusicalKey } from '../../../shared/musical-key.ts';
import type { EventBus } from './events.ts';
import { withDownloads } from './track-downloads.ts';
import type { SplitAudio } from './split-audio.ts';

export interface HandlerDeps {
  store: Store;
  kie: KieClient;
  events: EventBus;
  reconciler: {
    pollSoon(taskId?: string, claim?: TaskState | null): number;
    fetchStemIds(taskId: string): Promise<boolean>;
  };
  downloader: { kick(): void };
  /** The one reaction to a recorded callback (see callback-reaction.ts). */
  reactToCallback: (outcome: CallbackOutcome) => void;
  hmacKey: () => string | null;
  submit: (input: SubmitInput) => Promise<TaskView>;
  retry: (taskId: string) => Promise<TaskView>;
  status: () => HostStatus;
  /** Uploaded sources and residuals: decoded or computed on demand (split-audio.ts). */
  splitAudio: Pick<SplitAudio, 'source' | 'residual'>;
  /** Peaks of a derived track (source, residual), which has no store row. */
  derivedPeaksPath: (trackId: string) => string | null;
}

export function toCallbackView(row: CallbackRow): CallbackView {
  return {
    id: row.id,
    receivedAt: row.received_at,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body: row.body.toString('utf8'),
    isTruncated: row.body_truncated === 1,
    verdict: row.verdict,
    kieTaskId: row.kie_task_id,
    taskId: row.task_id,
    isDuplicate: row.is_duplicate === 1,
    effect: JSON.parse(row.effect) as unknown,
    httpStatus: row.http_status,
    replayOf: row.replay_of,
  };
}

function replay(store: Store, row: CallbackRow, hmacKey: string | null, now: number) {
  const headers = JSON.parse(row.headers) as Record<string, string>;
  return processCallback(
    store,
    {
      headers,
      body: row.body,
      isTruncated: row.body_truncated === 1,
      replayOf: row.id,
      originalVerdict: row.verdict,
      submissionId: row.submission_id,
    },
    hmacKey,
    now,
  );
}

/**
 * A callback can beat KIE's synchronous answer to our create call; apply it once the task exists.
 * Returns each replay's outcome, oldest first, for the caller to react to.
 */
export function adoptOrphanCallbacks(
  store: Store,
  kieTaskId: string,
  hmacKey: string | null,
  now: number,
): CallbackOutcome[] {
  const orphans = store.callbacks
    .list({ verdict: 'unknown_task', limit: 50 })
    .filter((r) => r.kie_task_id === kieTaskId);
  return orphans.reverse().map((row) => replay(store, row, hmacKey, now));
}

type CoreMethods = Exclude<
  keyof ApiHandlers,
  'settings.get' | 'settings.update' | `export.${string}` | `lyrics.${string}`
>;

export function createHandlers(deps: HandlerDeps) {
  const { store, events } = deps;
  /** By id, KIE task id, or the short id `stemhook tasks` and the library print. */
  const taskOrThrow = (id: string): TaskView => {
    const exact = store.tasks.view(id);
    if (exact) return exact;
    const [only, other] = store.tasks.idsStartingWith(id, 2);
    if (other) throw new NotFoundError(`Several tasks start with ${id}; give more of the id`);
    const view = only === undefined ? undefined : store.tasks.view(only);
    if (!view) throw new NotFoundError(`No task ${id} in the library`);
    return view;
  };

  const api: Pick<ApiHandlers, CoreMethods> = {
    async 'tasks.submit'(input) {
      const view = await deps.submit(input);
      events.emit('tasks.changed', { ids: [view.id] });
      deps.downloader.kick();
      return view;
    },
    async 'tasks.retry'({ id }) {
      const view = await deps.retry(taskOrThrow(id).id);
      events.emit('tasks.changed', { ids: [view.id] });
      return view;
    },
    async 'tasks.list'(query) {
      return withDownloads(store.tasks.list(query), store.downloads.active());
    },
    async 'tasks.get'({ id }) {
      return withDownloads([taskOrThrow(id)], store.downloads.active())[0] ?? taskOrThrow(id);
    },
    async 'tasks.refresh'({ id }) {
      const task = id ? taskOrThrow(id) : undefined;
      // A finished separation is not polled any more; on demand it still fetches its stem ids.
      if (task && task.state === 'complete' && task.tracks.some((t) => !t.audioId))
        await deps.reconciler.fetchStemIds(task.id);
      return { polled: deps.reconciler.pollSoon(task?.id) };
    },
    async 'tracks.peaks'({ trackId, pixels }) {
      const track = store.tracks.get(trackId);
      const derived = track ? null : deps.derivedPeaksPath(trackId);
      if (!track && !derived) throw new NotFoundError(`No track ${trackId}`);
      const peaksPath = derived ?? (track?.state === 'ready' ? track.peaks_path : null);
      if (!peaksPath) throw new NotFoundError('This track has not been downloaded yet');
      const { level, ...file } = await readPeaksLevel(peaksPath, pixels ?? 2000).catch((error: unknown) => {
        if (derived) throw new NotFoundError('This lane has not been computed yet');
        throw error;
      });
      return {
        trackId,
        sampleRate: file.sampleRate,
        channels: file.channels,
        sampleCount: file.sampleCount,
        samplesPerPeak: level.samplesPerPeak,
        peaks: toWaveSurferPeaks(level),
      };
    },
    async 'tracks.setAnalysis'({ trackId, bpm, key }) {
      const track = store.tracks.get(trackId);
      if (!track) throw new NotFoundError(`No track ${trackId}`);
      if (bpm !== undefined && bpm !== null && !(typeof bpm === 'number' && bpm >= 20 && bpm <= 999))
        throw new BadRequestError('Tempo must be between 20 and 999 BPM');
      if (key !== undefined && key !== null && !isMusicalKey(key))
        throw new BadRequestError('A key is a tonic from 0 (C) to 11 (B) and the mode major or minor');
      store.tracks.setCorrection(trackId, { bpm, key }, Date.now());
      events.emit('tasks.changed', { ids: [track.task_id] });
      const view = store.tracks.viewsOf(track.task_id).find((t) => t.id === trackId);
      if (!view) throw new NotFoundError(`No track ${trackId}`);
      return view;
    },
    async 'tasks.source'({ id }) {
      return deps.splitAudio.source(taskOrThrow(id).id);
    },
    async 'tasks.residual'({ id }) {
      return deps.splitAudio.residual(taskOrThrow(id).id);
    },
    async 'midi.notes'({ taskId }) {
      const notes = store.midi.notesOf(taskOrThrow(taskId).id);
      if (!notes) throw new NotFoundError('KIE has not sent the MIDI of this task yet');
      return notes;
    },
    async 'callbacks.list'({ taskId, limit }) {
      return store.callbacks.list({ taskId, limit }).map(toCallbackView);
    },
    async 'callbacks.replay'({ id }) {
      const row = store.callbacks.get(id);
      if (!row) throw new NotFoundError(`No callback ${id}`);
      const outcome = replay(store, row, deps.hmacKey(), Date.now());
      deps.reactToCallback(outcome);
      const fresh = store.callbacks.get(outcome.callbackId);
      if (!fresh) throw new NotFoundError('replayed callback vanished');
      return toCallbackView(fresh);
    },
    async 'credits.get'() {
      return { credits: await deps.kie.credits() };
    },
    async 'host.status'() {
      return deps.status();
    },
  };
  return { api };
}
