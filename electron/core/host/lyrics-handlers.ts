// The contract's lyrics methods: a take's stored lyrics as lines and sections, and asking KIE again.
import type { ApiHandlers } from '../../../shared/api.ts';
import { analyseLyrics, type LyricsView } from '../../../shared/lyrics.ts';
import type { LyricsFetcher } from '../pipeline/lyrics-fetcher.ts';
import type { Store } from '../store/index.ts';
import { NotFoundError } from './api-errors.ts';

export interface LyricsHandlerDeps {
  store: Store;
  fetcher: Pick<LyricsFetcher, 'fetchNow'>;
}

export function createLyricsHandlers(
  deps: LyricsHandlerDeps,
): Pick<ApiHandlers, 'lyrics.get' | 'lyrics.fetch'> {
  const { store } = deps;
  const view = (trackId: string): LyricsView => {
    const track = store.tracks.get(trackId);
    if (!track) throw new NotFoundError(`No track ${trackId}`);
    // Only generated takes are sung by KIE; a stem or a source has no lyrics of its own.
    if (track.stem !== 'take') return { trackId, state: 'none', sections: [], lines: [] };
    const summary = store.lyrics.summaryOf(trackId);
    const { lines } = analyseLyrics(store.lyrics.wordsOf(trackId) ?? [], null);
    return { trackId, ...summary, lines };
  };
  return {
    'lyrics.get': async ({ trackId }) => view(trackId),
    'lyrics.fetch': async ({ trackId }) => {
      view(trackId);
      await deps.fetcher.fetchNow(trackId);
      return view(trackId);
    },
  };
}
