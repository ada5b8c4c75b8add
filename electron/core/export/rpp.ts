// REAPER `.rpp` sessions: one named track per stem with its item at position 0 referencing the WAV
// beside the project (REAPER resolves relative FILE paths against the project folder), the mix's
// volume, mute and solo, TEMPO when it is known, a MARKER per song section, and each stem's MIDI item
// (its `.mid`) right under it.
import { dbToLinear, formatNumber, type SessionInput } from './session-types.ts';

/**
 * REAPER tokens are quoted with whichever of " ' ` the text does not contain; text holding all
 * three has its backticks turned into quotes (REAPER itself does the same).
 */
export function quoteRpp(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  for (const quote of ['"', "'", '`']) if (!clean.includes(quote)) return `${quote}${clean}${quote}`;
  return `\`${clean.replace(/`/g, "'")}\``;
}

/** A stable GUID-shaped id from text, so the same export writes the same file. */
function guid(seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 0x5bd1e995) >>> 0;
  }
  const hex = (h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')).repeat(2).toUpperCase();
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`;
}

/** An item at position 0 whose source is a file beside the project (WAVE audio or a MIDI file). */
function itemLines(key: string, fileName: string, seconds: number, source: 'WAVE' | 'MIDI'): string[] {
  return [
    '    <ITEM',
    '      POSITION 0',
    `      LENGTH ${formatNumber(seconds, 9)}`,
    '      LOOP 0',
    `      NAME ${quoteRpp(fileName)}`,
    `      IGUID ${guid(`item:${key}:${fileName}`)}`,
    '      SOFFS 0',
    `      <SOURCE ${source}`,
    `        FILE ${quoteRpp(fileName)}`,
    '      >',
    '    >',
  ];
}

export function buildRpp(session: SessionInput, savedAtSec: number): string {
  const lines: string[] = [
    `<REAPER_PROJECT 0.1 "6.0/stemhook-${session.appVersion}" ${Math.floor(savedAtSec)}`,
  ];
  lines.push(`  SAMPLERATE ${session.sampleRate} 0 0`);
  if (session.tempoBpm !== null) lines.push(`  TEMPO ${formatNumber(session.tempoBpm)} 4 4`);
  lines.push(`  <NOTES 0 2`, `    |${session.comment.replace(/[\r\n]+/g, ' ')}`, '  >');
  // MARKER <index> <seconds> <name> <flags: 0 = a marker, not a region>
  session.markers.forEach((marker, index) => {
    lines.push(`  MARKER ${index + 1} ${formatNumber(marker.timeSec, 9)} ${quoteRpp(marker.name)} 0`);
  });
  session.tracks.forEach((track, index) => {
    lines.push(`  <TRACK ${guid(`track:${index}:${track.fileName}`)}`);
    lines.push(`    NAME ${quoteRpp(track.name)}`);
    lines.push(`    VOLPAN ${formatNumber(dbToLinear(track.gainDb))} 0 -1 -1 1`);
    lines.push(`    MUTESOLO ${track.isMuted ? 1 : 0} ${track.isSoloed ? 2 : 0} 0`);
    lines.push(`    NCHAN 2`);
    lines.push(...itemLines(String(index), track.fileName, track.frames / track.sampleRate, 'WAVE'));
    lines.push('  >');
    // The stem's MIDI on tracks right under it, each item reading the .mid exported beside the WAV.
    session.midiTracks.forEach((midi, midiIndex) => {
      if (midi.underTrack !== index) return;
      lines.push(`  <TRACK ${guid(`midi:${midiIndex}:${midi.fileName}`)}`);
      lines.push(`    NAME ${quoteRpp(midi.name)}`);
      lines.push('    VOLPAN 1 0 -1 -1 1');
      lines.push('    MUTESOLO 0 0 0');
      lines.push('    NCHAN 2');
      lines.push(...itemLines(`midi${midiIndex}`, midi.fileName, midi.seconds, 'MIDI'));
      lines.push('  >');
    });
  });
  lines.push('>');
  return `${lines.join('\n')}\n`;
}
