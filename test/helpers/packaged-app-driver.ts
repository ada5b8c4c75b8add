// Runs in a child process (`node --import electron-loader.ts packaged-app-driver.ts <app dir>`): starts
// the packaged app's built main bundle, loads its built preload, and drives one demo task through
// window.api as the page would. It prints one `REPORT {json}` line of what it saw, then quits the app
// through Electron's quit path; the process ends with the app's own exit code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Result } from '../../shared/result.ts';
import type { DesktopWindowApi, ShellEvent } from '../../shared/window-api.ts';
import { fake } from './electron-stub.ts';
import { REPORT_PREFIX, type DriveReport } from './packaged-app.ts';
import { writeToneMp3 } from './tone-mp3.ts';
import { until } from './until.ts';

function valueOf<T>(result: Result<T>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The native addons this process has mapped, by the path they were loaded from. */
function loadedAddons(): string[] {
  const paths = readFileSync('/proc/self/maps', 'latin1')
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[5] ?? '')
    .filter((path) => path.endsWith('.node'));
  return [...new Set(paths)];
}

async function drive(appDir: string, dataDir: string): Promise<DriveReport> {
  const { state } = fake;
  await import(pathToFileURL(join(appDir, 'out', 'main', 'main.js')).href);
  await until(
    () => state.windows.length === 1 && state.handles.has('api:host.status'),
    'the window and the contract',
  );
  createRequire(import.meta.url)(join(appDir, 'out', 'preload', 'preload.cjs'));
  const api = state.exposed.get('api') as DesktopWindowApi<unknown>;
  const eventNames = new Set<string>();
  api.onEvent((name) => eventNames.add(name));
  const shellEvents: ShellEvent[] = [];
  api.onShellEvent((event) => shellEvents.push(event));

  const status = valueOf(await api.call['host.status']({}), 'host.status');
  const page = await state.schemes.get('stemhook')?.(new Request('stemhook://app/index.html'));
  const source = await writeToneMp3(join(dataDir, 'drop.mp3'), { seconds: 1 });
  const submitted = valueOf(
    await api.call['tasks.submit']({ kind: 'separate_vocal', source: { path: source } }),
    'tasks.submit',
  );
  const task = await until(async () => {
    const got = valueOf(await api.call['tasks.get']({ id: submitted.id }), 'tasks.get');
    const isDone =
      got.state === 'complete' && got.tracks.length > 0 && got.tracks.every((t) => t.state === 'ready');
    return isDone && got;
  }, 'the task complete with every track downloaded and decoded');
  const callbacks = valueOf(await api.call['callbacks.list']({ taskId: task.id }), 'callbacks.list');
  const track = task.tracks[0];
  if (!track) throw new Error('the task has no track');
  const peaks = valueOf(await api.call['tracks.peaks']({ trackId: track.id, pixels: 200 }), 'tracks.peaks');
  const ranged = await state.schemes.get('stemhook-audio')?.(
    new Request(`${api.audioBaseUrl}/tracks/${track.id}/pcm16`, { headers: { range: 'bytes=0-99' } }),
  );
  const [first, second] = task.tracks;
  const batched = await state.schemes.get('stemhook-audio')?.(
    new Request(`${api.audioBaseUrl}/tracks/pcm16?ranges=${first?.id}:0-99,${second?.id}:100-299`),
  );
  const batchBody = new DataView((await batched?.arrayBuffer()) ?? new ArrayBuffer(0));
  const parts: Array<{ status: number; length: number }> = [];
  for (let at = 0; at + 8 <= batchBody.byteLength;) {
    const part = { status: batchBody.getUint32(at, true), length: batchBody.getUint32(at + 4, true) };
    parts.push(part);
    at += 8 + part.length;
  }
  const drag = valueOf(await api.call['export.prepareDrag']({ trackIds: [track.id] }), 'export.prepareDrag');
  api.startDrag(drag.files.map((file) => file.path));
  const note = await until(() => state.notes.find((n) => n.title.startsWith('Ready:')), 'a notification');
  note.emit('click');
  await until(() => shellEvents.length > 0, 'the notification click reaching the page');

  return {
    mode: status.mode,
    pageStatus: page?.status,
    task: {
      id: task.id,
      state: task.state,
      stages: task.stages.map((s) => `${s.name}:${s.source}`),
      trackCount: task.tracks.length,
    },
    callbackVerdicts: callbacks.map((c) => c.verdict),
    peaks: {
      channels: peaks.peaks.length,
      length: peaks.peaks[0]?.length ?? 0,
      sampleCount: peaks.sampleCount,
    },
    range: {
      status: ranged?.status,
      contentRange: ranged?.headers.get('content-range'),
      bytes: (await ranged?.arrayBuffer())?.byteLength,
    },
    batch: { status: batched?.status, parts },
    dragFiles: drag.files.map((file) => file.path),
    drags: state.drags,
    notes: state.notes.map(({ title, body }) => ({ title, body })),
    shellEvents,
    eventNames: [...eventNames],
    addons: loadedAddons(),
  };
}

const [appDir = ''] = process.argv.slice(2);
const dataDir = process.env.STEMHOOK_DATA_DIR ?? '';
try {
  const report = await drive(appDir, dataDir);
  console.log(`${REPORT_PREFIX}${JSON.stringify(report)}`);
  // Electron's quit path: before-quit -> graceful shutdown -> app.exit(code) ends this process.
  fake.electron.app.quit();
} catch (error) {
  console.error(error);
  process.exit(70);
}
