// The twelve stems a split_stem separation yields, with every name KIE uses for them (kie-api.md §5.3, §6).

export interface StemInfo {
  key: StemKey;
  /** Callback key (snake_case). */
  snake: string;
  /** Record-info `response` key (camelCase). */
  camel: string;
  /** originData `stem_type_group_name`. */
  group: string;
  /** Suffix of the result file name, as in `..._Backing_Vocals.mp3`. */
  label: string;
  /** Peak amplitude of the stem; the twelve sum below 1 so the mix never clips. */
  peak: number;
}

export type StemKey =
  | 'vocals'
  | 'backing_vocals'
  | 'drums'
  | 'bass'
  | 'guitar'
  | 'keyboard'
  | 'percussion'
  | 'strings'
  | 'synth'
  | 'fx'
  | 'brass'
  | 'woodwinds';

/** A renderable signal: one stem, the full take (`mix`) or everything but the lead vocal (`instrumental`). */
export type AudioPart = StemKey | 'mix' | 'instrumental';

const stem = (key: StemKey, snake: string, camel: string, group: string, peak: number): StemInfo => ({
  key,
  snake,
  camel,
  group,
  label: group.replace(/ /g, '_'),
  peak,
});

export const STEMS: readonly StemInfo[] = [
  stem('vocals', 'vocal_url', 'vocalUrl', 'Vocals', 0.18),
  stem('backing_vocals', 'backing_vocals_url', 'backingVocalsUrl', 'Backing Vocals', 0.06),
  stem('drums', 'drums_url', 'drumsUrl', 'Drums', 0.18),
  stem('bass', 'bass_url', 'bassUrl', 'Bass', 0.13),
  stem('guitar', 'guitar_url', 'guitarUrl', 'Guitar', 0.08),
  stem('keyboard', 'keyboard_url', 'keyboardUrl', 'Keyboard', 0.07),
  stem('percussion', 'percussion_url', 'percussionUrl', 'Percussion', 0.05),
  stem('strings', 'strings_url', 'stringsUrl', 'Strings', 0.06),
  stem('synth', 'synth_url', 'synthUrl', 'Synth', 0.05),
  stem('fx', 'fx_url', 'fxUrl', 'FX', 0.03),
  stem('brass', 'brass_url', 'brassUrl', 'Brass', 0.05),
  // Near-silent on purpose (about -68 dBFS) so clients can exercise their "empty stem" flag.
  stem('woodwinds', 'woodwinds_url', 'woodwindsUrl', 'Woodwinds', 0.0004),
];

/** The instrumental half of a separate_vocal result. */
export const INSTRUMENTAL: Pick<StemInfo, 'snake' | 'camel' | 'group' | 'label'> = {
  snake: 'instrumental_url',
  camel: 'instrumentalUrl',
  group: 'Instrumental',
  label: 'Instrumental',
};

export function stemInfo(key: StemKey): StemInfo {
  const found = STEMS.find((s) => s.key === key);
  if (!found) throw new Error(`unknown stem ${key}`);
  return found;
}
