// DAWproject 1.0 sessions (Bitwig Studio, Studio One, Cubase): a ZIP of project.xml and
// metadata.xml whose tracks reference the exported WAVs beside it (external, relative paths), each
// clip at 0 s on a seconds timeline, with the mix's volume, mute and solo on each channel, each
// stem's transcribed MIDI as a note clip on an instrument track right under it, and the song's
// sections as arrangement markers.
import { strToU8, zipSync } from 'fflate';
import { dbToLinear, formatNumber, type SessionInput } from './session-types.ts';

/** XML 1.0 forbids most control characters outright, even escaped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(values: Record<string, string | number | boolean | null | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? formatNumber(v) : String(v))}"`)
    .join('');
}

/** A mixer channel: its routing, then mute, centre pan and volume. */
function channelLines(
  values: Record<string, string | number | boolean>,
  mix: { isMuted: boolean; volume: number },
  id: () => string,
): string[] {
  return [
    `      <Channel${attrs(values)}>`,
    `        <Mute${attrs({ value: mix.isMuted, id: id(), name: 'Mute' })}/>`,
    `        <Pan${attrs({ unit: 'normalized', value: 0.5, min: 0, max: 1, id: id(), name: 'Pan' })}/>`,
    `        <Volume${attrs({ unit: 'linear', value: mix.volume, min: 0, max: Math.max(2, mix.volume), id: id(), name: 'Volume' })}/>`,
    '      </Channel>',
  ];
}

export function buildProjectXml(session: SessionInput): string {
  let nextId = 0;
  const id = () => `id${nextId++}`;
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    `<Project${attrs({ version: '1.0' })}>`,
  ];
  lines.push(`  <Application${attrs({ name: 'Stemhook', version: session.appVersion })}/>`);
  if (session.tempoBpm !== null) {
    lines.push('  <Transport>');
    lines.push(
      `    <Tempo${attrs({ unit: 'bpm', value: session.tempoBpm, min: 20, max: 999, id: id(), name: 'Tempo' })}/>`,
    );
    lines.push('  </Transport>');
  }
  const channelsOut = Math.max(1, ...session.tracks.map((t) => t.channels));
  const masterTrack = id();
  const masterChannel = id();
  const tracks = session.tracks.map((track) => ({ track, trackId: id(), channelId: id() }));
  const midiTracks = session.midiTracks.map((midi) => ({ midi, trackId: id(), channelId: id() }));
  lines.push('  <Structure>');
  tracks.forEach(({ track, trackId, channelId }, index) => {
    lines.push(
      `    <Track${attrs({ contentType: 'audio', loaded: true, id: trackId, name: track.name, color: track.color })}>`,
    );
    lines.push(
      ...channelLines(
        {
          audioChannels: track.channels,
          destination: masterChannel,
          role: 'regular',
          solo: track.isSoloed,
          id: channelId,
        },
        { isMuted: track.isMuted, volume: dbToLinear(track.gainDb) },
        id,
      ),
    );
    lines.push('    </Track>');
    // Each stem's MIDI sits right under its audio track, so the two read as one pair.
    for (const { midi, trackId: midiId, channelId: midiChannel } of midiTracks) {
      if (midi.underTrack !== index) continue;
      lines.push(
        `    <Track${attrs({ contentType: 'notes', loaded: true, id: midiId, name: midi.name, color: midi.color })}>`,
      );
      lines.push(
        ...channelLines(
          { audioChannels: 2, destination: masterChannel, role: 'regular', solo: false, id: midiChannel },
          { isMuted: false, volume: 1 },
          id,
        ),
      );
      lines.push('    </Track>');
    }
  });
  lines.push(`    <Track${attrs({ loaded: true, id: masterTrack, name: 'Master' })}>`);
  lines.push(
    ...channelLines(
      { audioChannels: channelsOut, role: 'master', solo: false, id: masterChannel },
      { isMuted: false, volume: 1 },
      id,
    ),
  );
  lines.push('    </Track>');
  lines.push('  </Structure>');
  lines.push(`  <Arrangement${attrs({ id: id() })}>`);
  lines.push(`    <Lanes${attrs({ timeUnit: 'seconds', id: id() })}>`);
  for (const { track, trackId } of tracks) {
    const seconds = track.frames / track.sampleRate;
    lines.push(`      <Lanes${attrs({ track: trackId, id: id() })}>`);
    lines.push(`        <Clips${attrs({ id: id() })}>`);
    lines.push(`          <Clip${attrs({ time: 0, duration: seconds, playStart: 0, name: track.name })}>`);
    // Identity warps (seconds to seconds): the form the format's reference uses for audio clips.
    lines.push(`            <Warps${attrs({ contentTimeUnit: 'seconds', timeUnit: 'seconds', id: id() })}>`);
    lines.push(
      `              <Audio${attrs({ channels: track.channels, duration: seconds, sampleRate: track.sampleRate, id: id(), name: track.name })}>`,
    );
    lines.push(`                <File${attrs({ path: track.fileName, external: true })}/>`);
    lines.push('              </Audio>');
    lines.push(`              <Warp${attrs({ time: 0, contentTime: 0 })}/>`);
    lines.push(`              <Warp${attrs({ time: seconds, contentTime: seconds })}/>`);
    lines.push('            </Warps>');
    lines.push('          </Clip>');
    lines.push('        </Clips>');
    lines.push('      </Lanes>');
  }
  for (const { midi, trackId } of midiTracks) {
    lines.push(`      <Lanes${attrs({ track: trackId, id: id() })}>`);
    lines.push(`        <Clips${attrs({ id: id() })}>`);
    lines.push(
      `          <Clip${attrs({ time: 0, duration: midi.seconds, playStart: 0, name: midi.name })}>`,
    );
    lines.push(`            <Notes${attrs({ id: id() })}>`);
    for (const note of midi.notes) {
      lines.push(
        `              <Note${attrs({ time: note.start, duration: note.end - note.start, channel: midi.channel, key: note.pitch, vel: note.velocity, rel: note.velocity })}/>`,
      );
    }
    lines.push('            </Notes>');
    lines.push('          </Clip>');
    lines.push('        </Clips>');
    lines.push('      </Lanes>');
  }
  lines.push('    </Lanes>');
  // Song sections from the take's lyrics; the schema wants at least one Marker inside Markers.
  if (session.markers.length > 0) {
    lines.push(`    <Markers${attrs({ timeUnit: 'seconds', id: id() })}>`);
    for (const marker of session.markers)
      lines.push(`      <Marker${attrs({ time: marker.timeSec, name: marker.name })}/>`);
    lines.push('    </Markers>');
  }
  lines.push('  </Arrangement>');
  lines.push('</Project>');
  return `${lines.join('\n')}\n`;
}

export function buildMetadataXml(session: SessionInput): string {
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<MetaData>',
    `  <Title>${escapeXml(session.title)}</Title>`,
    `  <Comment>${escapeXml(session.comment)}</Comment>`,
    '</MetaData>',
    '',
  ].join('\n');
}

export function buildDawProject(session: SessionInput): Uint8Array {
  return zipSync({
    'project.xml': strToU8(buildProjectXml(session)),
    'metadata.xml': strToU8(buildMetadataXml(session)),
  });
}
