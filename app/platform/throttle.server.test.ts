import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServices, type TestServices } from "../../tests/support/services";

describe("the failure throttle", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s.close());

  it("lets each key have its own number of free failures", async () => {
    const now = s.clock.now();
    const office = { raw: "ip:oficina", freeFailures: 3 };
    for (let i = 0; i < 2; i++) expect(await s.throttle.consume([office, "cuenta:x"], now)).toEqual({ waitMs: 0 });
    // The third counts and starts the wait for the fourth.
    expect(await s.throttle.consume([office], now)).toEqual({ waitMs: 0 });
    expect(await s.throttle.consume([office], now)).toEqual({ waitMs: 1000 });
    expect(await s.throttle.consume(["cuenta:x"], now)).toEqual({ waitMs: 0 });
  });

  it("checks several keys in one read and says which have failures on record", async () => {
    const now = s.clock.now();
    await s.throttle.consume(["registrada"], now);
    const status = await s.throttle.check(["registrada", { raw: "limpia", freeFailures: 20 }], now);
    expect(status).toEqual({ waitMs: 0, recorded: ["registrada"] });
  });

  it("lets at most the free allowance of 100 parallel attempts through, as if they came one after another", async () => {
    const now = s.clock.now();
    const ip = { raw: "ip:rafaga", freeFailures: 20 };
    const verdicts = await Promise.all(Array.from({ length: 100 }, () => s.throttle.consume(["cuenta:rafaga", ip], now)));
    expect(verdicts.filter((v) => v.waitMs === 0)).toHaveLength(5);
    for (const v of verdicts.filter((v) => v.waitMs > 0)) expect(v.waitMs).toBe(1000);
    // The IP counted each attempt it let through: the account's refusals still cost the guesser there.
    const more = await Promise.all(Array.from({ length: 40 }, (_, i) => s.throttle.consume([`cuenta:otra-${i}`, ip], now)));
    expect(100 + 40 - [...verdicts, ...more].filter((v) => v.waitMs > 0).length).toBeLessThanOrEqual(5 + 20);
  });

  it("recognises a browser's device-cookie entry only for the account it signed in to, and keeps a few accounts' entries", () => {
    let cookie = s.throttle.issueDevice("postulante:DNI:11111111", undefined);
    expect(s.throttle.deviceKey("postulante:DNI:11111111", cookie)).toMatch(/^dispositivo:/);
    expect(s.throttle.deviceKey("postulante:DNI:22222222", cookie)).toBeNull();
    const first = s.throttle.deviceKey("postulante:DNI:11111111", cookie);
    for (let i = 2; i <= 5; i++) cookie = s.throttle.issueDevice(`postulante:DNI:${i}`, cookie);
    expect(s.throttle.deviceKey("postulante:DNI:11111111", cookie)).toBe(first);
    cookie = s.throttle.issueDevice("postulante:DNI:6", cookie);
    expect(s.throttle.deviceKey("postulante:DNI:11111111", cookie)).toBeNull();
    // Forged or altered entries are not recognised.
    const [nonce] = s.throttle.issueDevice("staff:a@b.pe", undefined).split(".");
    expect(s.throttle.deviceKey("staff:a@b.pe", `${nonce}.${"A".repeat(43)}`)).toBeNull();
    expect(s.throttle.deviceKey("staff:a@b.pe", "basura~~.~")).toBeNull();
  });

  it("is forgotten once reset, and a reset of one key leaves the others", async () => {
    const now = s.clock.now();
    for (let i = 0; i < 7; i++) await s.throttle.consume(["a", "b"], now);
    await s.throttle.reset(["a"]);
    expect((await s.throttle.check(["a"], now)).waitMs).toBe(0);
    expect((await s.throttle.check(["b"], now)).waitMs).toBeGreaterThan(0);
  });
});
