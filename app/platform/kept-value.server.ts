/**
 * A value a process reads often and may show a few seconds late (the entity's settings, the
 * public list's filter choices): read once per `ttlMs` however many requests ask meanwhile
 * (they share the one read in flight). A failed read is not kept: the next call tries again.
 * `invalidate` drops the copy of this process at once; other processes follow within the TTL.
 */
export type KeptValue<T> = {
  /** The value, at most `ttlMs` old. */
  current(): Promise<T>;
  /** Forget the kept copy: the next `current()` reads again. */
  invalidate(): void;
};

export function keptValue<T>(read: () => Promise<T>, ttlMs: number): KeptValue<T> {
  let kept: { at: number; value: Promise<T> } | undefined;
  return {
    current() {
      const now = performance.now();
      if (!kept || now - kept.at > ttlMs) {
        const value = read();
        value.catch(() => {
          if (kept?.value === value) kept = undefined;
        });
        kept = { at: now, value };
      }
      return kept.value;
    },
    invalidate() {
      kept = undefined;
    },
  };
}
