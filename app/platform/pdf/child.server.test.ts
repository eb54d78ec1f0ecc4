import { expect, test } from "vitest";
import { createLimiter, runnerPid, runWatched } from "./child.server";

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

test("a child past its CPU-time bound is SIGKILLed", async () => {
  const result = await runWatched(node, ["-e", "for (;;) {}"], { maxRssBytes: 1024 * 1024 * 1024, timeoutMs: 400, wallTimeoutMs: 60_000 });
  expect(result.killedFor).toBe("time");
  expect(result.signal).toBe("SIGKILL");
  expect(result.cpuMs).toBeGreaterThan(400);
  expect(result.ms).toBeLessThan(30_000);
});

test("an idle child is not killed by the CPU bound, only by the wall-clock backstop", async () => {
  // 300 ms of CPU allowed, 1.5 s of wall time: a child that sleeps uses almost no CPU.
  const result = await runWatched(node, ["-e", "setInterval(() => {}, 1000)"], { maxRssBytes: 1024 * 1024 * 1024, timeoutMs: 300, wallTimeoutMs: 1500 });
  expect(result.killedFor).toBe("time");
  expect(result.ms).toBeGreaterThanOrEqual(1450);
  expect(result.cpuMs).toBeLessThan(300);
});

test("the CPU bound counts CPU, not waiting: a child that sleeps past it ends normally", async () => {
  const result = await runWatched(node, ["-e", "setTimeout(() => console.log('ok'), 1200)"], { maxRssBytes: 1024 * 1024 * 1024, timeoutMs: 500 });
  expect(result).toMatchObject({ exitCode: 0, killedFor: undefined, stdout: "ok\n" });
  expect(result.ms).toBeGreaterThan(1000);
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

test("with a stdout limit, the output is counted, not kept, and a child writing past it is killed", async () => {
  const write = (bytes: number) => `process.stdout.write(Buffer.alloc(${bytes}, 120))`;
  const within = await runWatched(node, ["-e", write(300_000)], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 10_000, stdoutLimitBytes: 1_000_000 });
  expect(within).toMatchObject({ exitCode: 0, killedFor: undefined, stdout: "", stdoutBytes: 300_000 });
  const endless = "const b = Buffer.alloc(1 << 16, 120); (function w() { process.stdout.write(b, w); })();";
  const past = await runWatched(node, ["-e", endless], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 10_000, stdoutLimitBytes: 1_000_000 });
  expect(past.killedFor).toBe("output");
  expect(past.signal).toBe("SIGKILL");
  expect(past.stdoutBytes).toBeGreaterThan(1_000_000);
});

test("a job of several units waits for them, and no later job overtakes it", async () => {
  const limiter = createLimiter(4);
  const order: string[] = [];
  let used = 0;
  let peak = 0;
  const job = (name: string, units: number, ms: number) =>
    limiter.run(async () => {
      used += Math.min(units, 4);
      peak = Math.max(peak, used);
      order.push(name);
      await new Promise((r) => setTimeout(r, ms));
      used -= Math.min(units, 4);
    }, units);
  await Promise.all([job("a", 1, 30), job("b", 1, 30), job("c", 1, 30), job("big", 2, 10), job("d", 1, 10), job("huge", 9, 10)]);
  expect(peak).toBeLessThanOrEqual(4);
  expect(order.slice(0, 3)).toEqual(["a", "b", "c"]);
  expect(order.indexOf("big")).toBeLessThan(order.indexOf("d")); // d fitted earlier but waited its turn
  expect(order).toContain("huge"); // more units than the capacity: runs alone
});

test("children are started by the runner process, not by this one", async () => {
  const result = await runWatched("/bin/sh", ["-c", "echo $PPID"], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 10_000 });
  const parent = Number(result.stdout.trim());
  expect(parent).toBe(runnerPid());
  expect(parent).not.toBe(process.pid);
});

test("if the runner dies, its children are killed and their jobs run from this process", async () => {
  await runWatched("/bin/true", [], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 10_000 });
  const first = runnerPid()!;
  const marker = `cas-runner-test-${process.pid}-${Date.now()}`;
  const job = runWatched("/bin/sh", ["-c", `echo ${marker}; sleep 2; echo done`], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 20_000 });
  await new Promise((r) => setTimeout(r, 500));
  process.kill(first, "SIGKILL");
  const result = await job;
  expect(result).toMatchObject({ exitCode: 0, killedFor: undefined });
  expect(result.stdout).toBe(`${marker}\ndone\n`);
  // The runner's child did not outlive it.
  const { readdirSync, readFileSync } = await import("node:fs");
  const alive = readdirSync("/proc").filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, "latin1").includes(marker);
    } catch {
      return false;
    }
  });
  expect(alive).toEqual([]);
  // A new runner for the next job.
  await runWatched("/bin/true", [], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 10_000 });
  expect(runnerPid()).not.toBe(first);
});
