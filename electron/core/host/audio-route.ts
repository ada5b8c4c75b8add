// Browser mode's door to the library's audio: `/api/tracks/<id>/pcm16|file`, `/api/tracks/pcm16?ranges=…` and
// `/api/tasks/<id>/source` behind the local API's token, answered by the same hardened responder
// the desktop app's custom scheme uses (ranges, no path from the URL, no escape from the library).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/index.ts';
import { createLibraryResponder, storeAudioLookup } from './library-files.ts';
import { sendBody } from './send-body.ts';
import type { LocalRoute } from './local-api.ts';

const PREFIX = '/api';
const ROUTE = /^\/api\/(tracks|tasks)\//;

export function createAudioRoute(options: { store: Store; libraryDir: string }): LocalRoute {
  const respond = createLibraryResponder({
    libraryDir: options.libraryDir,
    lookup: storeAudioLookup(() => options.store),
  });
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!ROUTE.test(url.pathname)) return false;
    const answer = await respond({
      method: req.method ?? 'GET',
      pathname: url.pathname.slice(PREFIX.length),
      range: req.headers.range,
      search: url.search,
    });
    res.writeHead(answer.status, answer.headers);
    if (!answer.body) res.end();
    else await sendBody(answer.body, res);
    return true;
  };
}
