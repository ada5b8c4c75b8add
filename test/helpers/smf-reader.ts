// An independent Standard MIDI File reader for tests (written from the SMF 1.0 spec, sharing no code
// with the writer): header, tracks, running status, meta and channel events, notes paired on/off.

export interface ReadNote {
  channel: number;
  pitch: number;
  velocity: number;
  startTick: number;
  endTick: number;
}

export interface ReadTrack {
  name: string | null;
  programs: Array<{ channel: number; program: number }>;
  tempos: number[];
  notes: ReadNote[];
  /** Note-ons that never got their note-off. */
  unmatched: number;
}

export interface ReadSmf {
  format: number;
  ppq: number;
  tracks: ReadTrack[];
}

function readVarLen(bytes: Uint8Array, at: { pos: number }): number {
  let value = 0;
  for (;;) {
    const byte = bytes[at.pos++];
    if (byte === undefined) throw new Error('variable-length number runs past the end');
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return value;
  }
}

function readTrack(bytes: Uint8Array): ReadTrack {
  const out: ReadTrack = { name: null, programs: [], tempos: [], notes: [], unmatched: 0 };
  const open = new Map<string, Array<{ tick: number; velocity: number }>>();
  const at = { pos: 0 };
  let tick = 0;
  let status = 0;
  let ended = false;
  while (at.pos < bytes.length) {
    tick += readVarLen(bytes, at);
    let first = bytes[at.pos] ?? 0;
    if (first & 0x80) {
      status = first;
      at.pos++;
    } else if (status === 0) throw new Error('running status without a status byte');
    if (status === 0xff) {
      const type = bytes[at.pos++] ?? 0;
      const length = readVarLen(bytes, at);
      const data = bytes.subarray(at.pos, at.pos + length);
      at.pos += length;
      if (type === 0x03 && out.name === null) out.name = new TextDecoder().decode(data);
      if (type === 0x51) out.tempos.push(((data[0] ?? 0) << 16) | ((data[1] ?? 0) << 8) | (data[2] ?? 0));
      if (type === 0x2f) {
        ended = true;
        break;
      }
      status = 0;
      continue;
    }
    if (status === 0xf0 || status === 0xf7) {
      at.pos += readVarLen(bytes, at);
      status = 0;
      continue;
    }
    const kind = status & 0xf0;
    const channel = status & 0x0f;
    first = bytes[at.pos++] ?? 0;
    const hasTwo = kind !== 0xc0 && kind !== 0xd0;
    const second = hasTwo ? (bytes[at.pos++] ?? 0) : 0;
    const key = `${channel}:${first}`;
    if (kind === 0xc0) out.programs.push({ channel, program: first });
    if (kind === 0x90 && second > 0) {
      open.set(key, [...(open.get(key) ?? []), { tick, velocity: second }]);
    } else if (kind === 0x80 || (kind === 0x90 && second === 0)) {
      const pending = open.get(key) ?? [];
      const started = pending.shift();
      if (started)
        out.notes.push({
          channel,
          pitch: first,
          velocity: started.velocity,
          startTick: started.tick,
          endTick: tick,
        });
    }
  }
  if (!ended) throw new Error('track has no end-of-track event');
  out.unmatched = [...open.values()].reduce((sum, list) => sum + list.length, 0);
  out.notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  return out;
}

export function readSmf(data: Uint8Array): ReadSmf {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tag = (pos: number) => String.fromCharCode(...data.subarray(pos, pos + 4));
  if (tag(0) !== 'MThd' || view.getUint32(4) !== 6) throw new Error('not a Standard MIDI File');
  const format = view.getUint16(8);
  const count = view.getUint16(10);
  const division = view.getUint16(12);
  if (division & 0x8000) throw new Error('SMPTE timing is not expected');
  const tracks: ReadTrack[] = [];
  let pos = 14;
  while (tracks.length < count) {
    if (tag(pos) !== 'MTrk') throw new Error(`chunk ${tracks.length} is not MTrk`);
    const length = view.getUint32(pos + 4);
    tracks.push(readTrack(data.subarray(pos + 8, pos + 8 + length)));
    pos += 8 + length;
  }
  if (pos !== data.length) throw new Error('bytes after the last track');
  return { format, ppq: division, tracks };
}
