import { describe, expect, it } from "vitest";
import { keptValue } from "./kept-value.server";

describe("keptValue", () => {
  it("reads once for every caller within the TTL, again after it or after invalidate", async () => {
    let reads = 0;
    const kept = keptValue(async () => ++reads, 60_000);
    expect(await Promise.all([kept.current(), kept.current(), kept.current()])).toEqual([1, 1, 1]);
    expect(reads).toBe(1);
    kept.invalidate();
    expect(await kept.current()).toBe(2);

    const short = keptValue(async () => ++reads, 1);
    const first = await short.current();
    await new Promise((r) => setTimeout(r, 5));
    expect(await short.current()).toBe(first + 1);
  });

  it("does not keep a failed read: the next call tries again", async () => {
    let calls = 0;
    const kept = keptValue(async () => {
      calls++;
      if (calls === 1) throw new Error("database unavailable");
      return "ok";
    }, 60_000);
    await expect(kept.current()).rejects.toThrow("database unavailable");
    expect(await kept.current()).toBe("ok");
    expect(calls).toBe(2);
  });
});
