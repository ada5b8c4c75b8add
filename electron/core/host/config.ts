// Reads the host's configuration from the environment (the CLI's flags map onto the same names).
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { SimulatedTaskFailure } from '../simulator/types.ts';
import { checkPublicUrl } from '../../../shared/public-url.ts';

export interface HostConfig {
  dataDir: string;
  apiKey: string | null;
  baseUrl: string;
  uploadBaseUrl: string;
  hmacKey: string | null;
  publicUrl: string | null;
  ngrokAuthtoken: string | null;
  ngrokDomain: string | null;
  receiverPort: number;
  allowLoopbackDownloads: boolean;
  /** Demo simulator knobs: length of the synthetic songs and the pause between KIE stages. */
  demoAudioSec: number;
  demoStageMs: number;
  /** Demo/testing knob: result downloads (not streams) trickle at this rate; 0 means full speed. */
  demoDownloadBytesPerSecond: number;
  /** Demo/testing knob: the first task created in demo mode fails this way (STEMHOOK_DEMO_FAIL_NEXT, JSON). */
  demoFailNext: SimulatedTaskFailure | null;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir();
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', 'Stemhook');
  if (platform() === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Stemhook');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'stemhook');
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() ? value.trim() : null;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : fallback;
}

function demoFailure(value: string | undefined): SimulatedTaskFailure | null {
  if (!nonEmpty(value)) return null;
  try {
    const parsed = JSON.parse(value ?? '') as Partial<SimulatedTaskFailure>;
    if (typeof parsed.code === 'number' && typeof parsed.msg === 'string')
      return parsed as SimulatedTaskFailure;
  } catch {
    // reported below with the expected shape
  }
  throw new Error(
    'STEMHOOK_DEMO_FAIL_NEXT must be JSON like {"code":501,"msg":"Generation failed","stage":"text"}',
  );
}

export function readHostConfig(env: NodeJS.ProcessEnv = process.env): HostConfig {
  const port = Number(env.STEMHOOK_RECEIVER_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `STEMHOOK_RECEIVER_PORT must be a port number, got ${JSON.stringify(env.STEMHOOK_RECEIVER_PORT)}`,
    );
  }
  const publicUrlText = nonEmpty(env.STEMHOOK_PUBLIC_URL);
  const publicUrl = publicUrlText === null ? null : checkPublicUrl(publicUrlText);
  if (publicUrl && !publicUrl.ok) throw new Error(`STEMHOOK_PUBLIC_URL: ${publicUrl.reason}`);
  return {
    dataDir: nonEmpty(env.STEMHOOK_DATA_DIR) ?? defaultDataDir(env),
    apiKey: nonEmpty(env.KIE_API_KEY),
    baseUrl: nonEmpty(env.KIE_BASE_URL) ?? 'https://api.kie.ai',
    uploadBaseUrl: nonEmpty(env.KIE_UPLOAD_BASE_URL) ?? 'https://kieai.redpandaai.co',
    hmacKey: nonEmpty(env.KIE_WEBHOOK_HMAC_KEY),
    publicUrl: publicUrl?.ok ? publicUrl.url : null,
    ngrokAuthtoken: nonEmpty(env.NGROK_AUTHTOKEN),
    ngrokDomain: nonEmpty(env.NGROK_DOMAIN),
    receiverPort: port,
    allowLoopbackDownloads: env.STEMHOOK_ALLOW_LOOPBACK_DOWNLOADS === '1',
    demoAudioSec: positive(env.STEMHOOK_DEMO_AUDIO_SECONDS, 20),
    demoStageMs: positive(env.STEMHOOK_DEMO_STAGE_MS, 1500),
    demoDownloadBytesPerSecond: positive(env.STEMHOOK_DEMO_DOWNLOAD_BYTES_PER_SECOND, 0),
    demoFailNext: demoFailure(env.STEMHOOK_DEMO_FAIL_NEXT),
  };
}
