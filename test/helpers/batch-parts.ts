// A batch answer's parts (shared/pcm16-batch.ts), read by the app's own parser
// (renderer/src/api/read-into.ts), each into a buffer exactly its length.
import { readBatchParts } from '../../renderer/src/api/read-into.ts';

export async function batchParts(
  body: Uint8Array,
  count: number,
): Promise<Array<{ status: number; bytes: Buffer }>> {
  const parts = await readBatchParts(new Response(new Uint8Array(body)).body, count, (_part, length) => [
    new Uint8Array(length),
  ]);
  return parts.map((part) => ({ status: part.status, bytes: Buffer.concat(part.views) }));
}
