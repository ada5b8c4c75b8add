// What every benchmark shares: its flags, the machine it ran on, medians and ratios, the generated
// MP3 inputs, bounded waits (a hung side fails the bench instead of stalling it) and the JSON result.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeToneMp3 } from '../helpers/tone-mp3.ts';

export const FFMPEG = '/usr/bin/ffmpeg';

/** The longest any one wait of a bench may take (a process, a page, a server answer) before it fails. */
const WAIT_LIMIT_MS = 10 * 60_000;

interface BenchFlags {
  args: string[];
  /** `--smoke`: a few seconds of work, to prove the bench still runs. */
  isSmoke: boolean;
  /** `--out=DIR`, else bench/results/ in the repository. */
  outDir: string;
  /** How long each generated audio input is: a 4-minute song, 10 s in smoke mode. */
  inputSeconds: number;
}

export function benchFlags(args: string[] = process.argv.slice(2)): BenchFlags {
  const isSmoke = args.includes('--smoke');
  return {
    args,
    isSmoke,
    inputSeconds: isSmoke ? 10 : 240,
    outDir:
      args.find((a) => a.startsWith('--out='))?.slice(6) ??
      fileURLToPath(new URL('../../bench/results/', import.meta.url)),
  };
}

/** The 1-minute load average now: other work on the machine skews every timing, so reports keep it. */
export const loadNow = (): number => Number((loadavg()[0] ?? 0).toFixed(2));

export function machine(loadAverage1mAtStart: number) {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    // Other work on the machine slows multi-threaded sides more than single-threaded baselines;
    // rerun when this was well above zero.
    loadAverage1mAtStart,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A ratio as a report stores it: three decimals, or null when one side was not measured. */
export const round3 = (n: number | null): number | null => (n === null ? null : Number(n.toFixed(3)));

/** A ratio as a console line shows it: two decimals, or '-' when one side was not measured. */
export const ratioText = (n: number | null | undefined): string => n?.toFixed(2) ?? '-';

/** Rejects when `promise` has not settled within `ms`, naming what was awaited. */
export function withTimeout<T>(promise: Promise<T>, what: string, ms = WAIT_LIMIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Runs a tool to completion (stderr shown); killed and rejected when it outlasts the wait limit. */
export function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
  return withTimeout(exited, command).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
}

interface BenchMp3 {
  seconds: number;
  /** Which input this is: sets the sine's pitch (110 Hz steps) and the noise seed. */
  index: number;
  kbps?: number;
  noiseAmplitude?: number;
}

/**
 * A realistic stereo MP3 to decode: a sine on the left and pink noise on the right, made by ffmpeg
 * when installed, else noise encoded with lamejs. Returns which tool made it.
 */
export async function writeBenchMp3(file: string, mp3: BenchMp3): Promise<'ffmpeg' | 'lamejs'> {
  const { seconds, index, kbps = 192, noiseAmplitude = 0.3 } = mp3;
  if (!existsSync(FFMPEG)) {
    await writeFile(file, encodeToneMp3({ kind: 'noise', seconds, kbps, amplitude: 0.3, seed: index + 1 }));
    return 'lamejs';
  }
  const tone = `sine=frequency=${110 * (index + 1)}:sample_rate=44100:duration=${seconds}`;
  const noise = `anoisesrc=color=pink:sample_rate=44100:amplitude=${noiseAmplitude}:duration=${seconds}:seed=${index + 1}`;
  await run(FFMPEG, [
    ...['-v', 'error', '-f', 'lavfi', '-i', tone, '-f', 'lavfi', '-i', noise],
    ...['-filter_complex', '[0:a][1:a]amerge=inputs=2[a]', '-map', '[a]'],
    ...['-c:a', 'libmp3lame', '-b:a', `${kbps}k`, '-y', file],
  ]);
  return 'ffmpeg';
}

/** Writes the report as pretty JSON into the output folder and says where; returns the path. */
export async function writeReport(outDir: string, fileName: string, report: object): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, fileName);
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out}`);
  return out;
}
