// Maps KIE's separation URL keys (snake_case callbacks, camelCase record-info) and originData
// group names onto our stem names.
import type { StemName } from '../domain.ts';

const BY_BASE: Record<string, StemName> = {
  vocal: 'vocals',
  instrumental: 'instrumental',
  backing_vocals: 'backing_vocals',
  drums: 'drums',
  bass: 'bass',
  guitar: 'guitar',
  keyboard: 'keyboard',
  // record-info lists pianoUrl beside keyboardUrl; we fold it into keyboard when keyboard is absent.
  piano: 'keyboard',
  percussion: 'percussion',
  strings: 'strings',
  synth: 'synth',
  fx: 'fx',
  brass: 'brass',
  woodwinds: 'woodwinds',
};

/** `drums_url` / `drumsUrl` / `backingVocalsUrl` → stem; `origin_url` and unknown keys → null. */
export function stemForUrlKey(key: string): StemName | null {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const match = /^(.*)_url$/.exec(snake);
  if (!match?.[1]) return null;
  return BY_BASE[match[1]] ?? null;
}

/** originData's `stem_type_group_name` ("Vocals", "Backing Vocals", "FX"...) → stem. */
export function stemForGroupName(name: string): StemName | null {
  const base = name.trim().toLowerCase().replace(/\s+/g, '_');
  const singular = base === 'vocals' ? 'vocal' : base;
  return BY_BASE[singular] ?? BY_BASE[base] ?? null;
}
