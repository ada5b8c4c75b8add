// A small HTTP load generator for the burst and fuzz tests and the receiver benchmark: N workers, each
// with one keep-alive socket, send their next request as soon as the previous answer is read.
import { Agent, request } from 'node:http';
import { signKieCallback } from '../../electron/core/receiver/verify-signature.ts';

export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

interface LoadAnswer {
  worker: number;
  index: number;
  /** 0 when the request failed without an answer (reset, refused, timeout). */
  status: number;
  latencyMs: number;
  body: string;
  error: string | null;
}

interface LoadOptions {
  /** Origin, e.g. http://127.0.0.1:PORT. */
  origin: string;
  connections: number;
  /** The worker's index-th request, or null when that worker is done. */
  next: (worker: number, index: number) => LoadRequest | null;
  /** Stop starting requests after this long (benchmarks); unset runs until every worker is done. */
  durationMs?: number;
  /** Keep each answer (tests); benchmarks keep only latencies and status counts. */
  keepAnswers?: boolean;
  /** Per-request limit; a request past it counts as an error. Default 30 s. */
  timeoutMs?: number;
}

export interface LoadReport {
  count: number;
  errors: number;
  elapsedMs: number;
  statuses: Record<number, number>;
  latenciesMs: Float64Array;
  answers: LoadAnswer[];
}

function send(
  agent: Agent,
  origin: string,
  req: LoadRequest,
  timeoutMs: number,
): Promise<{ status: number; body: string; error: string | null }> {
  return new Promise((resolve) => {
    const body =
      req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const headers: Record<string, string> = { ...req.headers };
    if (body && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    // Host and port from the origin, the path verbatim: a URL string would normalise `..` and `%2e`.
    const { hostname, port } = new URL(origin);
    const outgoing = request(
      { hostname, port, path: req.path, method: req.method ?? 'POST', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), error: null }),
        );
        res.on('error', (error) => resolve({ status: res.statusCode ?? 0, body: '', error: error.message }));
      },
    );
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', (error) => resolve({ status: 0, body: '', error: error.message }));
    outgoing.end(body);
  });
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: options.connections,
    maxFreeSockets: options.connections,
  });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const answers: LoadAnswer[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = options.durationMs === undefined ? Infinity : started + options.durationMs;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function work(worker: number): Promise<void> {
    for (let index = 0; performance.now() < deadline; index++) {
      const req = options.next(worker, index);
      if (!req) return;
      const at = performance.now();
      const answer = await send(agent, options.origin, req, timeoutMs);
      const latencyMs = performance.now() - at;
      latencies.push(latencyMs);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.error) errors++;
      if (options.keepAnswers) answers.push({ worker, index, latencyMs, ...answer });
    }
  }

  try {
    await Promise.all(Array.from({ length: options.connections }, (_, worker) => work(worker)));
  } finally {
    agent.destroy();
  }
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: latencies.length,
    errors,
    elapsedMs: performance.now() - started,
    statuses,
    latenciesMs: sorted,
    answers,
  };
}

/** KIE's three staged callbacks for one music task with two takes (kie-api.md §4.1), as bodies. */
export function musicStageBodies(kieTaskId: string): Array<Record<string, unknown>> {
  const take = (n: number) => ({
    id: `${kieTaskId.slice(0, 8)}-take-${n}`,
    audio_url: `https://file.example/${kieTaskId}/${n}.mp3`,
    stream_audio_url: `https://stream.example/${kieTaskId}/${n}`,
    image_url: `https://file.example/${kieTaskId}/${n}.jpeg`,
    prompt: '[Instrumental]',
    model_name: 'chirp-v4-5',
    title: `Take ${n}`,
    tags: 'indie folk',
    createTime: 1767259812000,
    duration: 187.36,
  });
  const stage = (callbackType: string, msg: string, data: unknown[]) => ({
    code: 200,
    msg,
    data: { callbackType, task_id: kieTaskId, data },
  });
  return [
    stage('text', 'Text generation completed successfully.', []),
    stage('first', 'First generated successfully.', [take(1)]),
    stage('complete', 'All generated successfully.', [take(1), take(2)]),
  ];
}

/** A POST of `body` to the receiver path, signed the way KIE signs (HMAC of task id and time). */
export function signedCallback(
  path: string,
  body: Record<string, unknown>,
  key: string,
  nowMs = Date.now(),
): LoadRequest {
  const data = body.data as { task_id?: unknown } | undefined;
  const taskId = typeof data?.task_id === 'string' ? data.task_id : '';
  const timestamp = Math.floor(nowMs / 1000);
  return {
    path,
    headers: {
      'content-type': 'application/json',
      'x-webhook-timestamp': String(timestamp),
      'x-webhook-signature': signKieCallback(key, taskId, timestamp),
    },
    body: JSON.stringify(body),
  };
}
