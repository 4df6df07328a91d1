import type { Source } from './iterators.js';

/**
 * Reads up to `n` elements ahead of the consumer: after each element is handed out, requests for
 * the next `n` are already running, so upstream work (file reads, async maps) overlaps with
 * whatever the consumer does between its reads.
 */
export async function* prefetch<T>(src: Source<T>, n: number): AsyncGenerator<T> {
  const it = src()[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  let ended = false;
  const request = (): void => {
    const p = it.next();
    // An error is reported when the consumer reaches that element; until then it must not count as unhandled.
    p.catch(() => {});
    queue.push(p);
  };
  try {
    for (;;) {
      if (queue.length === 0) request();
      const p = queue.shift()!;
      while (!ended && queue.length < n) request();
      const r = await p;
      if (r.done) {
        ended = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!ended) {
      await Promise.allSettled(queue);
      await it.return?.();
    }
  }
}
