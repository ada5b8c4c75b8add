// Submits an add-vocals task on a live core (a short tone as the instrumental): the simulator sings
// over it and KIE's lyrics endpoint has words for its takes.
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import type { LiveCore } from './live-core.ts';
import { writeToneMp3 } from './tone-mp3.ts';

export async function submitVocalTake(l: LiveCore, title = 'Harbor Lights'): Promise<TaskView> {
  const path = await writeToneMp3(join(l.dataDir, `${title}.mp3`), { seconds: 1 });
  return l.core.handlers['tasks.submit']({
    kind: 'add-vocals',
    source: { path },
    title,
    prompt: 'la la',
    style: 'pop',
    negativeTags: '',
  });
}
