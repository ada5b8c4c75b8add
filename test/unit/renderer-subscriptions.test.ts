// Who hears what in the renderer's stores: the query cache (per-key listeners, re-reads only what is
// watched), the studio viewport, and the lane loader's progress and failure reports.
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../shared/result.ts';
import { CHUNK_FRAMES } from '../../renderer/src/audio/mix.ts';
import type { PlaybackEngine } from '../../renderer/src/audio/playback-engine.ts';
import { createQueryCache } from '../../renderer/src/state/query-cache.ts';
import { createViewport, type ViewportState } from '../../renderer/src/studio/viewport.ts';

// The lane loader's module chain reads `window.api` once at load; Node has no window, so a desktop
// window.api stands in (the loader itself is given its fetcher and never touches it).
vi.stubGlobal('window', { api: { call: {}, onEvent: () => () => undefined } });
const { createLaneLoader } = await import('../../renderer/src/audio/lane-loader.ts');
afterAll(() => void vi.unstubAllGlobals());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function countingFetcher(value: string) {
  const fetcher = Object.assign(
    async (): Promise<Result<unknown>> => {
      fetcher.calls += 1;
      return { ok: true, value: `${value} #${fetcher.calls}` };
    },
    { calls: 0 },
  );
  return fetcher;
}

describe('query cache listeners', () => {
  it('tells each key its own listeners, loading then loaded, until they unsubscribe', async () => {
    const cache = createQueryCache(() => true);
    const heardA: Array<unknown> = [];
    const heardB: Array<unknown> = [];
    const stopA = cache.subscribe('a', countingFetcher('A'), () => heardA.push(cache.read('a')));
    cache.subscribe('b', countingFetcher('B'), () => heardB.push(cache.read('b')));
    await settle();
    expect(heardA).toEqual([
      { data: undefined, error: null, isLoading: true },
      { data: 'A #1', error: null, isLoading: false },
    ]);
    expect(heardB).toHaveLength(2);
    stopA();
    stopA();
    cache.invalidate(() => true);
    await settle();
    expect(heardA).toHaveLength(2);
    expect(heardB).toHaveLength(4);
  });

  it('re-reads watched keys on an event and leaves unwatched ones stale until shown again', async () => {
    const cache = createQueryCache((name, _payload, key) => name === 'tasks.changed' && key.startsWith('t'));
    const watched = countingFetcher('watched');
    const hidden = countingFetcher('hidden');
    cache.subscribe('t1', watched, () => undefined);
    cache.subscribe('t2', hidden, () => undefined)();
    await settle();
    cache.handleEvent('tasks.changed', { ids: [] });
    cache.handleEvent('settings.changed', {});
    await settle();
    expect([watched.calls, hidden.calls]).toEqual([2, 1]);
    cache.subscribe('t2', hidden, () => undefined);
    await settle();
    expect(hidden.calls).toBe(2);
    expect(cache.read('t2')).toEqual({ data: 'hidden #2', error: null, isLoading: false });
  });

  it('evicts unwatched keys and re-reads watched ones', async () => {
    const cache = createQueryCache(() => false);
    const watched = countingFetcher('w');
    cache.subscribe('page:1', watched, () => undefined);
    cache.subscribe('page:2', countingFetcher('u'), () => undefined)();
    await settle();
    cache.evict((key) => key.startsWith('page:'));
    await settle();
    expect(cache.keys()).toEqual(['page:1']);
    expect(watched.calls).toBe(2);
  });

  it('still tells the other listeners when one throws', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const cache = createQueryCache(() => false);
    let heard = 0;
    cache.subscribe('k', countingFetcher('k'), () => {
      throw new Error('broken view');
    });
    // Subscribed after the read started: it hears only the result, which the first listener saw first.
    cache.subscribe('k', countingFetcher('k'), () => void (heard += 1));
    await settle();
    expect(heard).toBe(1);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('broken view'));
    vi.mocked(console.error).mockRestore();
  });
});

describe('viewport listeners', () => {
  it('hears real changes only, with the clamped state, until unsubscribed', () => {
    const viewport = createViewport();
    const heard: ViewportState[] = [];
    const stop = viewport.subscribe((state) => heard.push(state));
    viewport.set({ total: 10, width: 500 });
    viewport.set({ total: 10 });
    viewport.set({ zoomPx: 100, scrollLeft: 9999 });
    expect(heard.map((s) => s.scrollLeft)).toEqual([0, 500]);
    expect(heard[1]).toBe(viewport.get());
    stop();
    viewport.set({ width: 400 });
    expect(heard).toHaveLength(2);
  });
});

describe('lane loader reports', () => {
  // Node has no AudioContext, so the engine is a recorder of putChunk calls (all the loader uses).
  function recordingEngine() {
    const chunks: Array<[string, number, number]> = [];
    const engine = {
      putChunk: (id: string, index: number, data: Int16Array) => void chunks.push([id, index, data.length]),
    } as unknown as PlaybackEngine;
    return { engine, chunks };
  }

  it('reports each arrived chunk and the lane that gave up, and nothing after close', async () => {
    const { engine, chunks } = recordingEngine();
    const loader = createLaneLoader(engine, {
      concurrency: 1,
      fetchChunk: async (trackId, range) => {
        if (trackId === 'gone') throw new Error('404 from the library');
        return new ArrayBuffer(range.end - range.start + 1);
      },
    });
    const heard: Array<{ laneId: string; error: string | null }> = [];
    loader.onChange((event) => heard.push(event));
    loader.add({ id: 'vox', trackId: 't-vox', channels: 2, frames: CHUNK_FRAMES + 10 });
    loader.add({ id: 'bad', trackId: 'gone', channels: 1, frames: 10 });
    for (let i = 0; i < 20 && heard.length < 3; i++) await settle();
    // Chunks of different lanes interleave, so compare per lane.
    const byLane = (laneId: string) => heard.filter((event) => event.laneId === laneId);
    expect(byLane('vox')).toEqual([
      { laneId: 'vox', error: null },
      { laneId: 'vox', error: null },
    ]);
    expect(byLane('bad')).toEqual([{ laneId: 'bad', error: '404 from the library' }]);
    expect(chunks).toEqual([
      ['vox', 0, CHUNK_FRAMES * 2],
      ['vox', 1, 20],
    ]);
    expect(loader.progress()).toEqual({ loaded: 2, total: 3 });
    loader.close();
    loader.add({ id: 'late', trackId: 't-late', channels: 1, frames: 10 });
    await settle();
    expect(heard).toHaveLength(3);
  });
});
