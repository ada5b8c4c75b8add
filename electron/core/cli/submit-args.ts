// Turns `stemhook submit ...` arguments into the contract's SubmitInput, with plain errors.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { MusicOptions, SubmitInput } from '../../../shared/api.ts';
import { STEM_NAMES, type StemName } from '../../../shared/domain.ts';
import { CliError } from './client.ts';

const MUSIC_FLAGS = {
  title: { type: 'string' },
  tags: { type: 'string' },
  'negative-tags': { type: 'string' },
  prompt: { type: 'string' },
  style: { type: 'string' },
  model: { type: 'string' },
  'vocal-gender': { type: 'string' },
  'style-weight': { type: 'string' },
  weirdness: { type: 'string' },
  'audio-weight': { type: 'string' },
  from: { type: 'string' },
  'audio-id': { type: 'string' },
  type: { type: 'string' },
  stems: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function weight(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number between 0 and 1, got "${value}"`);
  return n;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new CliError(`--${name} is required`);
  return value;
}

/** `--stems drums,bass` → one MIDI task per stem (KIE takes one stem per call); none → all stems at once. */
function midiInputs(from: string | undefined, stems: string | undefined): SubmitInput[] {
  if (!from) throw new CliError('give the finished separation to transcribe: --from <task>');
  if (stems === undefined) return [{ kind: 'midi', from: { taskId: from } }];
  const names = stems.split(',').map((s) =>
    s
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const unknown = names.filter((n) => !STEM_NAMES.includes(n as StemName) || n === 'take');
  if (unknown.length > 0 || names.length === 0)
    throw new CliError(
      `--stems takes stem names (${STEM_NAMES.slice(1).join(', ')}), not "${unknown.join(',')}"`,
    );
  return [...new Set(names)].map((stem) => ({
    kind: 'midi',
    from: { taskId: from, stem: stem as StemName },
  }));
}

export function parseSubmitArgs(args: string[]): { inputs: SubmitInput[]; isJson: boolean } {
  const one = (parsed: { input: SubmitInput; isJson: boolean }) => ({
    inputs: [parsed.input],
    isJson: parsed.isJson,
  });
  const { values } = parseArgs({ args, options: MUSIC_FLAGS, allowPositionals: true, strict: true });
  if (args[0] === 'midi')
    return { inputs: midiInputs(values.from, values.stems), isJson: values.json === true };
  if (values.stems !== undefined) throw new CliError('--stems is for submit midi');
  return one(parseOne(args));
}

function parseOne(args: string[]): { input: SubmitInput; isJson: boolean } {
  const { values, positionals } = parseArgs({
    args,
    options: MUSIC_FLAGS,
    allowPositionals: true,
    strict: true,
  });
  const [operation, file] = positionals;
  const isJson = values.json === true;
  if (operation === 'separate') {
    const type = values.type ?? 'separate_vocal';
    if (type !== 'separate_vocal' && type !== 'split_stem')
      throw new CliError('--type must be separate_vocal or split_stem');
    if (values.from) {
      return {
        input: {
          kind: type,
          from: { taskId: values.from, audioId: required('audio-id', values['audio-id']) },
        },
        isJson,
      };
    }
    if (!file) throw new CliError('give an audio file, or --from <task> --audio-id <id>');
    return { input: { kind: type, source: { path: resolve(file) } }, isJson };
  }
  if (operation !== 'add-instrumental' && operation !== 'add-vocals') {
    throw new CliError('submit what? Use: submit add-instrumental|add-vocals|separate|midi ...');
  }
  if (!file)
    throw new CliError(`give the audio file to ${operation === 'add-vocals' ? 'sing on' : 'accompany'}`);
  const gender = values['vocal-gender'];
  if (gender !== undefined && gender !== 'm' && gender !== 'f')
    throw new CliError('--vocal-gender must be m or f');
  const music: MusicOptions = {
    title: required('title', values.title),
    negativeTags: values['negative-tags'] ?? '',
    model: values.model,
    vocalGender: gender,
    styleWeight: weight('style-weight', values['style-weight']),
    weirdnessConstraint: weight('weirdness', values.weirdness),
    audioWeight: weight('audio-weight', values['audio-weight']),
  };
  const clean = Object.fromEntries(Object.entries(music).filter(([, v]) => v !== undefined)) as MusicOptions;
  const source = { path: resolve(file) };
  if (operation === 'add-instrumental') {
    return { input: { kind: operation, source, tags: required('tags', values.tags), ...clean }, isJson };
  }
  return {
    input: {
      kind: operation,
      source,
      prompt: required('prompt', values.prompt),
      style: required('style', values.style),
      ...clean,
    },
    isJson,
  };
}
