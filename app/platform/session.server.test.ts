import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostulante } from "../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../tests/support/services";
import { createSession, readSession, touchSession } from "./session.server";
import { hashToken } from "./tokens.server";

const MIN = 60 * 1000;

describe("sessions", () => {
  let s: TestServices;
  let postulanteId: string;
  beforeAll(async () => {
    s = await createTestServices();
    postulanteId = (await createPostulante(s)).id;
  });
  afterAll(async () => s.close());

  it("end after 30 idle minutes, and activity keeps them alive", async () => {
    const token = await createSession(s.db, { postulanteId }, s.clock.now());
    s.clock.advance(29 * MIN);
    expect(await readSession(s.db, token, s.clock.now())).not.toBeNull();
    s.clock.advance(29 * MIN);
    expect(await readSession(s.db, token, s.clock.now())).not.toBeNull();
    s.clock.advance(30 * MIN + 1);
    expect(await readSession(s.db, token, s.clock.now())).toBeNull();
  });

  it("end 12 hours after sign-in however active", async () => {
    const token = await createSession(s.db, { postulanteId }, s.clock.now());
    for (let i = 0; i < 12 * 3 - 1; i++) {
      s.clock.advance(20 * MIN);
      expect(await readSession(s.db, token, s.clock.now()), `after ${(i + 1) * 20} min`).not.toBeNull();
    }
    s.clock.advance(20 * MIN); // 12 h exactly
    expect(await readSession(s.db, token, s.clock.now())).toBeNull();
  });

  it("touchSession restarts the idle clock even within the minute readSession skips", async () => {
    const token = await createSession(s.db, { postulanteId }, s.clock.now());
    s.clock.advance(29 * MIN);
    expect(await touchSession(s.db, hashToken(token), s.clock.now())).toBe(true);
    s.clock.advance(29 * MIN);
    expect(await readSession(s.db, token, s.clock.now())).not.toBeNull();
  });

  it("touchSession never revives a session that is past its idle or absolute end", async () => {
    const idle = await createSession(s.db, { postulanteId }, s.clock.now());
    s.clock.advance(31 * MIN);
    expect(await touchSession(s.db, hashToken(idle), s.clock.now())).toBe(false);
    expect(await readSession(s.db, idle, s.clock.now())).toBeNull();

    const old = await createSession(s.db, { postulanteId }, s.clock.now());
    for (let i = 0; i < 36; i++) {
      s.clock.advance(20 * MIN);
      await touchSession(s.db, hashToken(old), s.clock.now());
    }
    expect(await touchSession(s.db, hashToken(old), s.clock.now())).toBe(false);
    expect(await readSession(s.db, old, s.clock.now())).toBeNull();
  });
});
