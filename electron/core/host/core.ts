// Composition root of the headless core: store, KIE client (or the demo simulator), receiver,
// reconciler, downloader and the contract's handlers. Both shells (Electron, `stemhook serve`)
// wrap exactly this.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ApiHandlers, HostStatus } from '../../../shared/api.ts';
import { createAnalyser } from '../analysis/index.ts';
import { createIngestor } from '../audio/index.ts';
import { createExportHandlers } from '../export/handlers.ts';
import { createKieClient, type KieClientOptions } from '../kie/index.ts';
import { createAnalysisQueue } from '../pipeline/analysis-queue.ts';
import {
  createDownloader,
  DEFAULT_DOWNLOAD_CONCURRENCY,
  type DownloaderOptions,
} from '../pipeline/downloader.ts';
import { createLyricsFetcher } from '../pipeline/lyrics-fetcher.ts';
import { createReconciler, nextPollDelay, type PollSchedule } from '../pipeline/reconciler.ts';
import { startReceiver } from '../receiver/server.ts';
import { startInboxPruner } from '../receiver/inbox-pruner.ts';
import { createKieSimulator, type KieSimulator, type SimulatorOptions } from '../simulator/index.ts';
import { createStorageWatch } from '../store/index.ts';
import type { HostConfig } from './config.ts';
import { createCallbackReaction } from './callback-reaction.ts';
import { createEventBus } from './events.ts';
import { adoptOrphanCallbacks, createHandlers } from './handlers.ts';
import { createSplitAudio } from './split-audio.ts';
import { derivedPaths } from '../audio/derived-tracks.ts';
import { withInputChecks } from './input-checks.ts';
import { createLyricsHandlers } from './lyrics-handlers.ts';
import { createStagedFiles } from './staged-files.ts';
import { openLibrary } from './open-library.ts';
import { createFileVault, type SecretVault } from './secret-vault.ts';
import { createSettingsHandlers } from './settings-handlers.ts';
import { createSubmitter, POLLING_ONLY_CALLBACK_URL } from './submit.ts';

export interface CoreOptions {
  config: HostConfig;
  /** Defaults to a 0600 file in the data dir; the desktop shell passes an OS-keychain vault. */
  vault?: SecretVault;
  simulator?: Partial<SimulatorOptions>;
  schedule?: PollSchedule;
  downloadBackoffMs?: number;
  /** Test seams: short KIE timeouts and retry delays. */
  kie?: Pick<KieClientOptions, 'timeoutMs' | 'retryBaseDelayMs' | 'maxRetries'>;
  /** Test seams: stall timeout, size cap and the .part writer (a failing one simulates a full disk). */
  download?: Pick<
    DownloaderOptions,
    'timeoutMs' | 'deadlineMs' | 'minThroughput' | 'maxBytes' | 'maxAttempts' | 'createWriteStream'
  >;
  log?: (line: string) => void;
}

export type Core = Awaited<ReturnType<typeof createCore>>;

export async function createCore(options: CoreOptions) {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const library = openLibrary(config.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [() => library.release()];
  try {
    const { store } = library;
    store.pending.forgetOlderThan(Date.now() - 24 * 60 * 60 * 1000);
    const events = createEventBus();
    const vault = options.vault ?? createFileVault(config.dataDir);
    const apiKey = config.apiKey ?? vault.get('apiKey');
    const isDemo = !apiKey;
    const ngrok = {
      authtoken: config.ngrokAuthtoken ?? vault.get('ngrokAuthtoken'),
      domain: config.ngrokDomain ?? (store.settings.get('ngrokDomain') || null),
    };

    let simulator: KieSimulator | null = null;
    let hmacKey = config.hmacKey ?? vault.get('hmacKey');
    if (isDemo) {
      hmacKey = randomBytes(24).toString('base64url');
      simulator = await createKieSimulator({
        hmacKey,
        audioDurationSec: config.demoAudioSec,
        stageDelayMs: config.demoStageMs,
        fileBytesPerSecond: config.demoDownloadBytesPerSecond,
        ...options.simulator,
      });
      cleanups.unshift(() => simulator?.close());
      if (config.demoFailNext) simulator.control.failNextTask(config.demoFailNext);
    }
    const kie = createKieClient({
      ...options.kie,
      apiKey: apiKey ?? simulator?.control.options().apiKey ?? '',
      baseUrl: simulator?.apiUrl ?? config.baseUrl,
      uploadBaseUrl: simulator?.uploadUrl ?? config.uploadBaseUrl,
    });

    const configuredPublicUrl = config.publicUrl ?? (store.settings.get('publicUrl') || null);
    let publicUrl = configuredPublicUrl;
    /** Demo mode's simulator calls the loopback receiver directly; live mode needs a public URL. */
    const canReceiveCallbacks = (): boolean => publicUrl !== null || isDemo;
    const tunnel: HostStatus['tunnel'] = { state: 'off', reason: publicUrl ? null : 'no tunnel configured' };
    const pathToken = store.settings.get('receiver.pathToken') ?? randomBytes(24).toString('base64url');
    store.settings.set('receiver.pathToken', pathToken);

    const storage = createStorageWatch({
      store,
      dataDir: config.dataDir,
      log,
      onChange: () => events.emit('host.changed', {}),
      // Callbacks were refused and polls skipped meanwhile: look at every unfinished task now.
      onRecovered: () => {
        reconciler.pollSoon();
        downloader.kick();
        lyrics.kick();
      },
    });
    cleanups.unshift(() => storage.close());
    const libraryDir = join(config.dataDir, 'library');
    const staged = createStagedFiles(join(config.dataDir, 'staging'));
    // One streaming decode per download slot.
    const ingestor = createIngestor({ streamWorkers: DEFAULT_DOWNLOAD_CONCURRENCY, log });
    cleanups.unshift(() => ingestor.close());
    const analyser = createAnalyser();
    cleanups.unshift(() => analyser.close());
    const analysis = createAnalysisQueue({
      store,
      analyse: (input) => analyser.analyse(input),
      log,
      onChange: ({ trackId, taskId }) => {
        events.emit('downloads.changed', { trackIds: [trackId] });
        events.emit('tasks.changed', { ids: [taskId] });
      },
    });
    const downloader = createDownloader({
      ...options.download,
      store,
      libraryDir,
      ingest: (input) => ingestor.ingest(input),
      ingestWav: (input) => ingestor.ingestWav(input),
      ingestStream: (input) => ingestor.ingestStream(input),
      allowLoopback: config.allowLoopbackDownloads || isDemo,
      backoffBaseMs: options.downloadBackoffMs,
      onStoreFault: (where, error) => storage.failed(`downloader: ${where}`, error),
      onChange: ({ trackId, taskId }) => {
        events.emit('downloads.changed', { trackIds: [trackId] });
        events.emit('tasks.changed', { ids: [taskId] });
        analysis.kick();
      },
    });
    const reconciler = createReconciler({
      store,
      kie,
      schedule: options.schedule,
      hasPublicUrl: canReceiveCallbacks,
      onChange: (taskId) => {
        events.emit('tasks.changed', { ids: [taskId] });
        downloader.kick();
      },
      onError: (taskId, error) => log(`reconciler: task ${taskId}: ${error.message}`),
      onStoreFault: (where, error) => storage.failed(`reconciler: ${where}`, error),
    });
    const lyrics = createLyricsFetcher({
      store,
      kie,
      log,
      onChange: (taskId) => events.emit('tasks.changed', { ids: [taskId] }),
      onStoreFault: (where, error) => storage.failed(where, error),
    });
    // A music task that just completed has takes KIE can give lyrics for.
    events.on('tasks.changed', ({ ids }) => {
      if (!store.isOpen()) return;
      const tasks = ids.map((id) => store.tasks.get(id));
      if (
        tasks.some(
          (t) => t?.state === 'complete' && (t.kind === 'add-vocals' || t.kind === 'add-instrumental'),
        )
      )
        lyrics.kick();
    });
    const reactToCallback = createCallbackReaction({ events, reconciler, downloader });
    const receiver = await startReceiver({
      store,
      pathToken,
      port: config.receiverPort,
      hmacKey: () => hmacKey,
      onStoreError: (error) => storage.failed('receiver', error),
      onCallback: reactToCallback,
    });
    cleanups.unshift(() => receiver.close());
    cleanups.unshift(startInboxPruner({ store, log }));

    const callbackUrl = (submissionId?: string): string => {
      const base = publicUrl ? `${publicUrl}${receiver.path}` : isDemo ? receiver.callbackUrl : null;
      if (!base) return POLLING_ONLY_CALLBACK_URL;
      return submissionId ? `${base}?sid=${encodeURIComponent(submissionId)}` : base;
    };
    const submitter = createSubmitter({
      store,
      kie,
      callbackUrl,
      firstPollDelayMs: () => nextPollDelay(0, canReceiveCallbacks(), options.schedule),
      resolveStagedFile: staged.resolve,
      adoptOrphanCallbacks: (kieTaskId) => {
        for (const outcome of adoptOrphanCallbacks(store, kieTaskId, hmacKey, Date.now()))
          reactToCallback(outcome);
      },
      fetchStemIds: (taskId) => reconciler.fetchStemIds(taskId),
    });
    const splitAudio = createSplitAudio({ getStore: () => store, libraryDir, ingestor });
    const handlers = createHandlers({
      store,
      splitAudio,
      derivedPeaksPath: (trackId) => derivedPaths(libraryDir, trackId)?.peaksPath ?? null,
      kie,
      events,
      reconciler,
      downloader,
      reactToCallback,
      hmacKey: () => hmacKey,
      submit: (input) => submitter.submit(input).finally(() => reconciler.wake()),
      retry: (taskId) => submitter.retry(taskId).finally(() => reconciler.wake()),
      status: (): HostStatus => {
        const active = store.downloads.active();
        return {
          mode: isDemo ? 'demo' : 'live',
          receiverUrl: receiver.callbackUrl.replace(receiver.path, '/kie/…'),
          publicUrl,
          tunnel: { ...tunnel },
          pollingOnly: !publicUrl && !isDemo,
          downloads: {
            active: active.filter((d) => d.state === 'running').length,
            queued: active.filter((d) => d.state === 'queued').length,
          },
          storage: storage.current(),
        };
      },
    });

    const api: ApiHandlers = withInputChecks({
      ...handlers.api,
      ...createSettingsHandlers({
        store,
        vault,
        events,
        mode: isDemo ? 'demo' : 'live',
        libraryDir,
        fromEnv: {
          apiKey: !!config.apiKey,
          hmacKey: !!config.hmacKey,
          ngrokAuthtoken: !!config.ngrokAuthtoken,
        },
      }),
      ...createExportHandlers({
        store,
        events,
        dataDir: config.dataDir,
        residual: (taskId) => splitAudio.residualPcm(taskId),
      }),
      ...createLyricsHandlers({ store, fetcher: lyrics }),
    });

    downloader.start();
    reconciler.start();
    lyrics.kick();
    analysis.start();
    cleanups.unshift(
      () => downloader.stop(),
      () => reconciler.stop(),
      () => lyrics.stop(),
      () => analysis.stop(),
    );

    return {
      mode: isDemo ? ('demo' as const) : ('live' as const),
      store,
      libraryDir,
      events,
      handlers: api,
      /** What the shell needs to open the tunnel (env first, then saved settings). */
      tunnelConfig: { ...ngrok, publicUrl: configuredPublicUrl },
      receiver,
      simulator,
      staged,
      reconciler,
      downloader,
      lyrics,
      analysis,
      callbackUrl,
      /** Called by the tunnel: a new public URL means callbacks may have been missed meanwhile. */
      setPublicUrl(url: string | null, state: HostStatus['tunnel']): void {
        const previous = publicUrl;
        publicUrl = url ?? configuredPublicUrl;
        Object.assign(tunnel, state);
        events.emit('host.changed', {});
        // A new URL means callbacks sent to the old one were lost; losing the URL means none will
        // come, so every unfinished task is checked now and then polled on the matching schedule.
        if (url || publicUrl !== previous) reconciler.pollSoon();
      },
      async close(): Promise<void> {
        for (const cleanup of cleanups.splice(0)) await cleanup();
      },
      /**
       * The OS is ending the session and will not wait for promises: stop the timers, close the
       * database (every acknowledged callback is already committed; a late one now gets 503 and
       * KIE retries it) and release the folder's lock, synchronously.
       */
      closeNow(): void {
        downloader.stop();
        reconciler.stop();
        lyrics.stop();
        void analysis.stop();
        library.release();
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    throw error;
  }
}
