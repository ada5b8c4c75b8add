// Where and how plain PCM sits in a WAV or AIFF file: what the shared streaming reader needs.

export interface PcmLayout {
  /** 1 integer PCM, 3 IEEE float (WAVE_FORMAT_EXTENSIBLE resolved to its sub-format). */
  encoding: 1 | 3;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  dataOffset: number;
  /** Frames per channel in the data chunk. */
  frames: number;
  /** AIFF stores big-endian samples (AIFC "sowt" and WAV little-endian). */
  isBigEndian: boolean;
  /** 8-bit AIFF is signed; 8-bit WAV is unsigned with 128 as silence. */
  isSigned8: boolean;
}
