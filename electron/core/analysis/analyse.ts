// One track's analysis: tempo and key from the same mono signal, read from the PCM cache.
import type { DetectedAnalysis } from '../store/index.ts';
import { estimateKey } from './key.ts';
import { signalFromPcmCache, type AnalysisSignal } from './signal.ts';
import { estimateTempo } from './tempo.ts';

export interface AnalysisInput {
  pcmPath: string;
  channels: number;
  sampleRate: number;
}

export function analyseSignal(signal: AnalysisSignal): DetectedAnalysis {
  return { tempo: estimateTempo(signal), key: estimateKey(signal) };
}

export async function analysePcmCache(input: AnalysisInput): Promise<DetectedAnalysis> {
  return analyseSignal(await signalFromPcmCache(input.pcmPath, input.channels, input.sampleRate));
}
