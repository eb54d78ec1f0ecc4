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
    for (let i = 0; i < 3; i++) await s.throttle.fail([office, "cuenta:x"], now);
    expect(await s.throttle.waitMs([office], now)).toBe(0);
    await s.throttle.fail([office], now);
    expect(await s.throttle.waitMs([office], now)).toBe(1000);
    expect(await s.throttle.waitMs(["cuenta:x"], now)).toBe(0);
  });

  it("checks several keys in one read and says which have failures on record", async () => {
    const now = s.clock.now();
    await s.throttle.fail(["registrada"], now);
    const status = await s.throttle.check(["registrada", { raw: "limpia", freeFailures: 20 }], now);
    expect(status).toEqual({ waitMs: 0, recorded: ["registrada"] });
  });

  it("is forgotten once reset, and a reset of one key leaves the others", async () => {
    const now = s.clock.now();
    for (let i = 0; i < 7; i++) await s.throttle.fail(["a", "b"], now);
    await s.throttle.reset(["a"]);
    expect(await s.throttle.waitMs(["a"], now)).toBe(0);
    expect(await s.throttle.waitMs(["b"], now)).toBeGreaterThan(0);
  });
});
