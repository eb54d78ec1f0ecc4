import { expect, test } from "vitest";
import { runWatched } from "./child.server";

const node = process.execPath;

test("a child whose memory grows past the bound is SIGKILLed within moments, the parent unharmed", async () => {
  const grow = "const a = []; setInterval(() => { for (let i = 0; i < 8; i++) a.push(Buffer.alloc(16 << 20, 1)); }, 5);";
  const parentBefore = process.memoryUsage().rss;
  const result = await runWatched(node, ["-e", grow], { maxRssBytes: 300 * 1024 * 1024, timeoutMs: 20_000 });
  expect(result.killedFor).toBe("memory");
  expect(result.signal).toBe("SIGKILL");
  expect(result.peakRssBytes).toBeGreaterThan(300 * 1024 * 1024);
  expect(result.ms).toBeLessThan(10_000);
  expect(process.memoryUsage().rss - parentBefore).toBeLessThan(50 * 1024 * 1024);
});

test("a child past the wall-clock bound is SIGKILLed", async () => {
  const result = await runWatched(node, ["-e", "setInterval(() => {}, 1000)"], {
    maxRssBytes: 1024 * 1024 * 1024,
    timeoutMs: 500,
  });
  expect(result.killedFor).toBe("time");
  expect(result.ms).toBeGreaterThanOrEqual(450);
  expect(result.ms).toBeLessThan(5000);
});

test("a child within its bounds runs to the end and its output is kept", async () => {
  const result = await runWatched(node, ["-e", "console.log(JSON.stringify({ ok: true }))"], {
    maxRssBytes: 512 * 1024 * 1024,
    timeoutMs: 10_000,
  });
  expect(result).toMatchObject({ exitCode: 0, killedFor: undefined });
  expect(JSON.parse(result.stdout)).toEqual({ ok: true });
});

test("the child does not inherit the server's environment (no secrets reach a parser of hostile files)", async () => {
  process.env.CAS_TEST_SECRET = "no-debe-verse";
  try {
    const result = await runWatched(node, ["-e", "console.log(JSON.stringify(process.env))"], {
      maxRssBytes: 512 * 1024 * 1024,
      timeoutMs: 10_000,
    });
    expect(Object.keys(JSON.parse(result.stdout) as object)).toEqual(["PATH"]);
  } finally {
    delete process.env.CAS_TEST_SECRET;
  }
});
