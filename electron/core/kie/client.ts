// The KIE API client used by the core: validated create calls, record-info reads, credits and uploads.
import {
  DEFAULT_MODEL,
  validateAddInstrumental,
  validateAddVocals,
  validateCallBackUrl,
} from '../../../shared/kie/limits.ts';
import { validateMidi, validateSeparation, validateWavConversion } from '../../../shared/kie/limits.ts';
import type {
  AddInstrumentalInput,
  AddVocalsInput,
  FieldError,
  SeparationType,
} from '../../../shared/kie/limits.ts';
import { createRedactor, createValidationError, KieError } from './errors.ts';
import { sendKieRequest } from './http.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { isCreateRetry, isSafeRetry, withRetry } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { uploadFile } from './upload.ts';
import type { UploadInput, UploadResult } from './upload.ts';

export interface KieClientOptions {
  apiKey: string;
  baseUrl: string;
  uploadBaseUrl: string;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

type SeparateInput = ({ taskId: string; audioId: string } | { audioUrl: string }) & {
  type: SeparationType;
  callBackUrl: string;
};

export interface KieClient {
  uploadFile(input: UploadInput): Promise<UploadResult>;
  addInstrumental(input: AddInstrumentalInput & { callBackUrl: string }): Promise<{ taskId: string }>;
  addVocals(input: AddVocalsInput & { callBackUrl: string }): Promise<{ taskId: string }>;
  separate(input: SeparateInput): Promise<{ taskId: string }>;
  convertToWav(input: { taskId: string; audioId: string; callBackUrl: string }): Promise<{ taskId: string }>;
  /** MIDI of a finished separation: one stem (`audioId` from its originData) or, without it, all. */
  generateMidi(input: { taskId: string; audioId?: string; callBackUrl: string }): Promise<{ taskId: string }>;
  musicRecordInfo(taskId: string): Promise<unknown>;
  separationRecordInfo(taskId: string): Promise<unknown>;
  wavRecordInfo(taskId: string): Promise<unknown>;
  /** Word-level timing of a generated take's lyrics (kie-api.md §7.3): KIE's raw `data`. */
  timestampedLyrics(input: { taskId: string; audioId: string }): Promise<unknown>;
  midiRecordInfo(taskId: string): Promise<unknown>;
  credits(): Promise<number>;
}

const FORM_B_REJECTED =
  'KIE does not accept uploaded audio for stem separation on this account/API version. ' +
  'Separate a track that was generated on KIE instead.';

export function createKieClient(options: KieClientOptions): KieClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retry: RetryPolicy = {
    maxRetries: options.maxRetries ?? 3,
    baseDelayMs: options.retryBaseDelayMs ?? 500,
    sleep,
    random: options.random ?? Math.random,
  };
  const limiter = createRateLimiter({ now: options.now ?? Date.now, sleep });
  const redact = createRedactor(options.apiKey);
  const api = options.baseUrl.replace(/\/+$/, '');
  const base = { apiKey: options.apiKey, family: 'kie' as const, timeoutMs, redact };

  async function create(
    path: string,
    body: Record<string, unknown>,
    fieldErrors: FieldError[],
  ): Promise<{ taskId: string }> {
    const errors = [...fieldErrors, ...validateCallBackUrl(body.callBackUrl)];
    if (errors.length > 0) throw createValidationError(errors);
    const json = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    const send = async () => {
      await limiter.acquireCreate();
      return sendKieRequest({ ...base, method: 'POST', url: `${api}${path}`, json });
    };
    const data = await withRetry(send, isCreateRetry, retry);
    const taskId = (data as { taskId?: unknown } | null)?.taskId;
    if (typeof taskId !== 'string' || taskId === '') {
      throw new KieError({ code: 'bad_response', kieMessage: 'create answer has no taskId' });
    }
    return { taskId };
  }

  async function recordInfo(path: string, taskId: string): Promise<unknown> {
    if (typeof taskId !== 'string' || taskId.trim() === '') {
      throw createValidationError([{ field: 'taskId', message: 'The KIE task id is missing.' }]);
    }
    const url = `${api}${path}?taskId=${encodeURIComponent(taskId)}`;
    const send = async () => {
      await limiter.acquireRecordInfo(taskId);
      return sendKieRequest({ ...base, method: 'GET', url });
    };
    const data = await withRetry(send, isSafeRetry, retry);
    if (typeof data !== 'object' || data === null) {
      throw new KieError({ code: 'bad_response', kieMessage: 'record-info answer has no data object' });
    }
    return data;
  }

  return {
    uploadFile: (input) =>
      uploadFile(
        { apiKey: options.apiKey, uploadBaseUrl: options.uploadBaseUrl, timeoutMs, redact, retry },
        input,
      ),

    addInstrumental: (input) =>
      create(
        '/api/v1/generate/add-instrumental',
        { ...pickMusicFields(input), tags: input.tags, model: input.model ?? DEFAULT_MODEL },
        validateAddInstrumental(input),
      ),

    addVocals: (input) =>
      create(
        '/api/v1/generate/add-vocals',
        {
          ...pickMusicFields(input),
          prompt: input.prompt,
          style: input.style,
          model: input.model ?? DEFAULT_MODEL,
        },
        validateAddVocals(input),
      ),

    async separate(input) {
      const source =
        'audioUrl' in input ? { audioUrl: input.audioUrl } : { taskId: input.taskId, audioId: input.audioId };
      const body = { ...source, type: input.type, callBackUrl: input.callBackUrl };
      // Checked on the raw input: callers outside the type system (CLI) could mix both forms.
      const errors = validateSeparation(input as Record<string, unknown>);
      try {
        return await create('/api/v1/vocal-removal/generate', body, errors);
      } catch (error) {
        // Uploaded-audio separation (Form B) is documented only on KIE's newest page; older deployments answer 422.
        const isRejected =
          error instanceof KieError && error.kieCode !== null && [422, 505].includes(error.kieCode);
        if (!('audioUrl' in input) || !isRejected) throw error;
        const { kieCode, httpStatus, kieMessage } = error;
        const message = `${FORM_B_REJECTED}${kieMessage ? ` (KIE said: "${kieMessage}")` : ''}`;
        throw new KieError({ code: 'feature_disabled', kieCode, httpStatus, kieMessage, message });
      }
    },

    convertToWav: (input) =>
      create(
        '/api/v1/wav/generate',
        { taskId: input.taskId, audioId: input.audioId, callBackUrl: input.callBackUrl },
        validateWavConversion(input),
      ),

    generateMidi: (input) =>
      create(
        '/api/v1/midi/generate',
        { taskId: input.taskId, audioId: input.audioId, callBackUrl: input.callBackUrl },
        validateMidi(input),
      ),

    musicRecordInfo: (taskId) => recordInfo('/api/v1/generate/record-info', taskId),
    separationRecordInfo: (taskId) => recordInfo('/api/v1/vocal-removal/record-info', taskId),
    wavRecordInfo: (taskId) => recordInfo('/api/v1/wav/record-info', taskId),
    midiRecordInfo: (taskId) => recordInfo('/api/v1/midi/record-info', taskId),

    async timestampedLyrics({ taskId, audioId }) {
      const url = `${api}/api/v1/generate/get-timestamped-lyrics`;
      // A read: nothing is created, so a lost answer may be asked again.
      const send = () =>
        sendKieRequest({ ...base, family: 'sunoapi', method: 'POST', url, json: { taskId, audioId } });
      return withRetry(send, isSafeRetry, retry);
    },

    async credits() {
      const send = () => sendKieRequest({ ...base, method: 'GET', url: `${api}/api/v1/chat/credit` });
      const data = await withRetry(send, isSafeRetry, retry);
      // Documented as an integer, but fractional balances are seen in practice.
      const value = typeof data === 'string' ? Number(data) : data;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new KieError({ code: 'bad_response', kieMessage: 'credit answer is not a number' });
      }
      return value;
    },
  };
}

function pickMusicFields(input: (AddInstrumentalInput | AddVocalsInput) & { callBackUrl: string }) {
  return {
    uploadUrl: input.uploadUrl,
    title: input.title,
    negativeTags: input.negativeTags,
    callBackUrl: input.callBackUrl,
    vocalGender: input.vocalGender,
    styleWeight: input.styleWeight,
    weirdnessConstraint: input.weirdnessConstraint,
    audioWeight: input.audioWeight,
  };
}
