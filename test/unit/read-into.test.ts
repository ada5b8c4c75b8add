// The renderer's body reader (renderer/src/api/read-into.ts) on real WHATWG streams: a byte stream
// (what Chromium's fetch gives: read with BYOB, straight into the caller's buffers) and a plain one
// (copied from its pieces), each dripping odd-sized pieces, and the batch framing read through it.
import { describe, expect, it } from 'vitest';
import { readBatchParts, readInto } from '../../renderer/src/api/read-into.ts';
import { partHeader } from '../../shared/pcm16-batch.ts';

const KINDS = ['bytes', 'plain'] as const;
type Kind = (typeof KINDS)[number];

/** A stream that hands out `data` in pieces of 1, 7, 4096, 333… bytes (then errors if `fault`). */
function drip(data: Uint8Array, kind: Kind, fault?: Error): ReadableStream<Uint8Array> {
  const sizes = [1, 7, 4096, 333, 65536, 2];
  let offset = 0;
  let turn = 0;
  const pull = (controller: ReadableStreamDefaultController<Uint8Array> | ReadableByteStreamController) => {
    if (offset >= data.length) {
      if (fault) return controller.error(fault);
      controller.close();
      // A byte stream closed under a pending BYOB read answers it with nothing (as a fetch body does).
      if ('byobRequest' in controller) controller.byobRequest?.respond(0);
      return;
    }
    const size = sizes[turn++ % sizes.length] ?? 1;
    // A copy in memory of its own: a byte stream takes the buffer it is given.
    controller.enqueue(new Uint8Array(data.subarray(offset, offset + size)));
    offset += size;
  };
  return kind === 'bytes' ? new ReadableStream({ type: 'bytes', pull }) : new ReadableStream({ pull });
}

const counting = (length: number, from = 0) => Uint8Array.from({ length }, (_, i) => (from + i) % 251);

describe.each(KINDS)('reading a body into our buffers (%s stream)', (kind) => {
  it('fills the buffers in order with the bytes, in the same memory', async () => {
    const data = counting(200_000);
    const targets = [new Uint8Array(65_536), new Uint8Array(65_536), new Uint8Array(68_928)];
    const memory = targets.map((t) => t.buffer);
    const sizes = targets.map((t) => t.byteLength);
    const filled = await readInto(drip(data, kind)).fill(targets, data.length);
    expect(Buffer.concat(filled).equals(Buffer.from(data))).toBe(true);
    expect(filled.map((view) => [view.byteOffset, view.byteLength, view.buffer.byteLength])).toEqual(
      sizes.map((size) => [0, size, size]),
    );
    // BYOB moves our buffers through the stream and hands them back: the old objects are detached,
    // nothing was copied into new memory. A plain stream's pieces are copied into our buffers.
    if (kind === 'bytes') expect(memory.every((buffer) => buffer.byteLength === 0)).toBe(true);
    else expect(filled.map((v) => v.buffer)).toEqual(memory);
  });

  it('zeroes what a short part leaves of a reused buffer, and skips bytes beyond the buffers', async () => {
    const dirty = new Uint8Array(1000).fill(9);
    const data = counting(1500);
    const reader = readInto(drip(data, kind));
    const [short] = await reader.fill([dirty], 600);
    expect(
      Buffer.from(short ?? []).equals(Buffer.concat([Buffer.from(data.subarray(0, 600)), Buffer.alloc(400)])),
    ).toBe(true);
    // 600 bytes asked into 100: the other 500 are read and dropped, so what follows stays in frame.
    const [head] = await reader.fill([new Uint8Array(100)], 600);
    expect(Buffer.from(head ?? []).equals(Buffer.from(data.subarray(600, 700)))).toBe(true);
    const [tail] = await reader.fill([new Uint8Array(300)], 300);
    expect(Buffer.from(tail ?? []).equals(Buffer.from(data.subarray(1200)))).toBe(true);
    await expect(reader.expectEnd()).resolves.toBeUndefined();
  });

  it('rejects a body that ends early or runs longer, and passes a stream fault on', async () => {
    await expect(readInto(drip(counting(10), kind)).fill([new Uint8Array(11)], 11)).rejects.toThrow(
      /ends early/,
    );
    const longer = readInto(drip(counting(10), kind));
    await longer.fill([new Uint8Array(9)], 9);
    await expect(longer.expectEnd()).rejects.toThrow(/longer/);
    const cut = readInto(drip(counting(5000), kind, new Error('connection reset')));
    await expect(cut.fill([new Uint8Array(6000)], 6000)).rejects.toThrow(/connection reset/);
  });
});

describe.each(KINDS)('reading a batch answer (%s stream)', (kind) => {
  const frame = (status: number, bytes: Uint8Array) => [partHeader(status, bytes.length), bytes];
  const body = (...frames: Uint8Array[][]) => Buffer.concat(frames.flat());

  it('gives every 206 part its bytes in the buffers asked for it, and the other parts their status', async () => {
    const a = counting(70_000);
    const b = counting(1_000, 17);
    const asked: Array<[number, number]> = [];
    const parts = await readBatchParts(
      drip(body(frame(206, a), frame(404, new Uint8Array(0)), frame(206, b)), kind),
      3,
      (part, length) => {
        asked.push([part, length]);
        return part === 0 ? [new Uint8Array(65_536), new Uint8Array(4_464)] : [new Uint8Array(length)];
      },
    );
    expect(asked).toEqual([
      [0, 70_000],
      [2, 1_000],
    ]);
    expect(parts.map((p) => p.status)).toEqual([206, 404, 206]);
    expect(Buffer.concat(parts[0]?.views ?? []).equals(Buffer.from(a))).toBe(true);
    expect(parts[1]?.views).toEqual([]);
    expect(Buffer.concat(parts[2]?.views ?? []).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses a body that does not hold exactly the parts asked for', async () => {
    const one = body(frame(206, new Uint8Array([1, 2])));
    const into = (_part: number, length: number) => [new Uint8Array(length)];
    await expect(readBatchParts(drip(one, kind), 1, into)).resolves.toHaveLength(1);
    await expect(readBatchParts(drip(one, kind), 2, into)).rejects.toThrow(/batch body: .*ends early/);
    await expect(readBatchParts(drip(one.subarray(0, 9), kind), 1, into)).rejects.toThrow(/ends early/);
    await expect(readBatchParts(drip(Buffer.concat([one, Buffer.alloc(1)]), kind), 1, into)).rejects.toThrow(
      /longer/,
    );
    await expect(readBatchParts(null, 1, into)).rejects.toThrow(/ends early/);
  });

  it('passes an abort on as it is (the reader tells a cancelled seek from a broken answer by it)', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const cut = drip(body(frame(206, counting(5000))).subarray(0, 3000), kind, abort);
    await expect(readBatchParts(cut, 1, (_p, length) => [new Uint8Array(length)])).rejects.toBe(abort);
  });
});
