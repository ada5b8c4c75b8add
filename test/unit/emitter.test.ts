// The shared typed emitter: unsubscribe, isolation of throwing listeners, snapshot delivery.
import { describe, expect, it, vi } from 'vitest';
import { createEmitter } from '../../shared/emitter.ts';

interface TestEvents {
  tick: number;
  reset: void;
}

describe('createEmitter', () => {
  it('delivers payloads to the listeners of that event only, and on() returns the unsubscribe', () => {
    const emitter = createEmitter<TestEvents>();
    const ticks: number[] = [];
    const resets = vi.fn();
    const stop = emitter.on('tick', (value) => ticks.push(value));
    emitter.on('reset', resets);
    emitter.emit('tick', 1);
    stop();
    stop();
    emitter.emit('tick', 2);
    emitter.emit('reset');
    expect(ticks).toEqual([1]);
    expect(resets).toHaveBeenCalledTimes(1);
    expect(emitter.listenerCount('tick')).toBe(0);
    expect(emitter.listenerCount()).toBe(1);
  });

  it('keeps delivering to the others when one listener throws, and reports the error', () => {
    const errors: string[] = [];
    const emitter = createEmitter<TestEvents>((error, name) =>
      errors.push(`${name}: ${(error as Error).message}`),
    );
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (value) => seen.push(value));
    emitter.onAny((name, value) => seen.push(name === 'tick' ? (value as number) * 10 : -1));
    emitter.emit('tick', 3);
    expect(seen).toEqual([3, 30]);
    expect(errors).toEqual(['tick: boom']);
  });

  it('survives an error handler that throws', () => {
    const emitter = createEmitter<TestEvents>(() => {
      throw new Error('handler broke');
    });
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (value) => seen.push(value));
    expect(() => emitter.emit('tick', 4)).not.toThrow();
    expect(seen).toEqual([4]);
  });

  it('delivers to a snapshot: unsubscribing during delivery neither skips nor repeats a listener', () => {
    const emitter = createEmitter<TestEvents>();
    const order: string[] = [];
    const stopA = emitter.on('tick', () => {
      order.push('a');
      stopA();
      emitter.on('tick', () => order.push('late'));
    });
    emitter.on('tick', () => order.push('b'));
    emitter.emit('tick', 0);
    expect(order).toEqual(['a', 'b']);
    emitter.emit('tick', 0);
    expect(order).toEqual(['a', 'b', 'b', 'late']);
  });

  it('lets the same function subscribe twice and unsubscribe each independently; clear() drops all', () => {
    const emitter = createEmitter<TestEvents>();
    const listener = vi.fn();
    const first = emitter.on('tick', listener);
    emitter.on('tick', listener);
    emitter.emit('tick', 1);
    first();
    emitter.emit('tick', 2);
    expect(listener).toHaveBeenCalledTimes(3);
    emitter.clear();
    emitter.emit('tick', 3);
    expect(listener).toHaveBeenCalledTimes(3);
    expect(emitter.listenerCount()).toBe(0);
  });
});
