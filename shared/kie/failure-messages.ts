// Plain-words explanations of the failure codes KIE puts in callbacks and record-info.

const CALLBACK_FAILURES: Record<number, string> = {
  400: 'KIE refused the request: the lyrics may contain copyrighted material, or a field was invalid.',
  408: 'KIE timed out generating this task. Submit it again.',
  413: 'The uploaded audio matches an existing copyrighted work, so KIE would not process it.',
  451: 'KIE could not download the input file (the upload may have expired). Submit it again.',
  500: 'KIE had an internal error. Try again later.',
  501: 'KIE failed to generate audio for this task. Try again, perhaps with other settings.',
  531: 'KIE failed to generate this task and refunded the credits. Try again.',
};

export function describeTaskFailure(code: number | null, kieMessage: string | null): string {
  const known = code === null ? undefined : CALLBACK_FAILURES[code];
  if (known && kieMessage) return `${known} (KIE said: ${kieMessage})`;
  return known ?? kieMessage ?? 'KIE reported a failure without a message.';
}

export const STATUS_FAILURES: Record<string, string> = {
  CREATE_TASK_FAILED: 'KIE could not create the task.',
  GENERATE_AUDIO_FAILED: 'KIE failed to generate audio.',
  GENERATE_WAV_FAILED: 'KIE failed to convert the take to WAV.',
  SENSITIVE_WORD_ERROR: 'KIE rejected the text (lyrics, title or tags) by its content filter. Reword it.',
  CALLBACK_EXCEPTION: 'KIE reported a callback delivery error and returned no results.',
};
