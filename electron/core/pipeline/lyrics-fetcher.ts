// Asks KIE once for the timestamped lyrics of every generated take (kie-api.md §7.3) after its task
// completes, and again when the producer asks. An empty answer or a refusal is stored as "no lyrics
// for this take" (quiet, final); an answer that never came (offline, rate limit, bad key) is asked
// again later, so nothing is stored that KIE did not say.
import { alignedWordsFrom } from '../../../shared/kie/lyrics.ts';
import { analyseLyrics, type AlignedWord } from '../../../shared/lyrics.ts';
import { createBackoff } from '../backoff.ts';
import { isKieError, type KieClient, type KieError } from '../kie/index.ts';
import type { Store, TakeNeedingLyrics } from '../store/index.ts';

export interface LyricsFetcherOptions {
  store: Store;
  kie: Pick<KieClient, 'timestampedLyrics'>;
  /** A take's lyrics were stored: the task's views changed. */
  onChange: (taskId: string) => void;
  log: (line: string) => void;
  /** A store write failed (disk full, database busy …): the take is asked again later. */
  onStoreFault?: (where: string, error: unknown) => void;
  /** First delay before asking again after an answer that never came; doubles up to 30 min. */
  retryFirstMs?: number;
  now?: () => number;
}

/** These say nothing about the take (the account, the network, KIE's load): ask again later. */
const ASK_AGAIN: ReadonlySet<string> = new Set([
  'auth',
  'insufficient_credits',
  'sub_key_limit',
  'rate_limited',
  'maintenance',
  'server',
  'timeout',
  'network',
  'bad_response',
  'unknown',
]);

export function isLyricsRefusal(error: KieError): boolean {
  return !ASK_AGAIN.has(error.code);
}

export function createLyricsFetcher(options: LyricsFetcherOptions) {
  const { store, kie, log } = options;
  const now = options.now ?? Date.now;
  const retry = createBackoff(options.retryFirstMs ?? 60_000, 30 * 60_000);
  /** Takes whose answer never came, and when to ask again. */
  const deferred = new Map<string, number>();
  let running: Promise<void> | null = null;
  let isDirty = false;
  let isStopped = false;
  let timer: NodeJS.Timeout | null = null;

  const durationOf = (trackId: string): number | null => {
    const row = store.tracks.get(trackId);
    if (row?.sample_count && row.sample_rate) return row.sample_count / row.sample_rate;
    return row?.duration_sec ?? null;
  };

  function save(
    take: Pick<TakeNeedingLyrics, 'trackId' | 'taskId'>,
    words: AlignedWord[],
    reason: string | null,
  ) {
    const { sections } = analyseLyrics(words, durationOf(take.trackId));
    store.lyrics.save({ ...take, words, sections, reason }, now());
    deferred.delete(take.trackId);
    options.onChange(take.taskId);
  }

  /** One question to KIE; throws only what the caller should see (an answer that never came). */
  async function ask(take: TakeNeedingLyrics): Promise<void> {
    let data: unknown;
    try {
      data = await kie.timestampedLyrics({ taskId: take.kieTaskId, audioId: take.audioId });
    } catch (error) {
      if (!isKieError(error) || !isLyricsRefusal(error)) throw error;
      // kie-api.md §7.3: a 4xx for a take means it has no lyrics KIE will give, not a fault.
      return save(take, [], error.kieMessage ?? error.code);
    }
    const words = alignedWordsFrom(data);
    save(take, words, words.length > 0 ? null : 'no words (instrumental)');
  }

  async function sweep(): Promise<void> {
    let hasAnswered: boolean;
    do {
      isDirty = false;
      hasAnswered = false;
      const due = store.lyrics.missing(50).filter((take) => (deferred.get(take.trackId) ?? 0) <= now());
      for (const take of due) {
        if (isStopped || !store.isOpen()) return;
        try {
          await ask(take);
          hasAnswered = true;
          retry.reset();
        } catch (error) {
          const wait = retry.next();
          deferred.set(take.trackId, now() + wait);
          if (isKieError(error))
            log(`lyrics: take ${take.trackId}: ${error.code}; asking again in ${Math.round(wait / 1000)} s`);
          else options.onStoreFault?.('lyrics', error);
        }
      }
      // A full batch answered means there may be more waiting; a batch of deferrals ends the sweep.
    } while ((isDirty || hasAnswered) && !isStopped);
    scheduleRetry();
  }

  function scheduleRetry(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (isStopped || deferred.size === 0) return;
    const next = Math.min(...deferred.values());
    timer = setTimeout(kick, Math.max(0, next - now()));
    timer.unref();
  }

  function kick(): void {
    if (isStopped) return;
    if (running) {
      isDirty = true;
      return;
    }
    running = sweep()
      .catch((error: unknown) => options.onStoreFault?.('lyrics', error))
      .finally(() => {
        running = null;
      });
  }

  return {
    /** Looks for takes without an answer (on start, when a task completes, after a storage fault). */
    kick,
    /** The producer asked: ask KIE now, even if an answer is stored; throws when KIE could not be reached. */
    async fetchNow(trackId: string): Promise<void> {
      const track = store.tracks.get(trackId);
      const task = track ? store.tasks.get(track.task_id) : undefined;
      if (!track || !task || track.stem !== 'take' || !track.audio_id) return;
      await ask({ trackId, taskId: task.id, kieTaskId: task.kie_task_id, audioId: track.audio_id });
    },
    /** Resolves when the current sweep is done (tests). */
    async idle(): Promise<void> {
      while (running) await running;
    },
    stop(): void {
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export type LyricsFetcher = ReturnType<typeof createLyricsFetcher>;
