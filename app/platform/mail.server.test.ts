import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import path from "node:path";
import { outbox } from "~/db/schema";
import { createTestServices, type TestServices } from "../../tests/support/services";
import { startSmtpServer } from "../../tests/support/smtp";
import { createLogger } from "./logger.server";
import { createMailTransport, createMailWorker, enqueueMail } from "./mail.server";

describe("the e-mail outbox", () => {
  let s: TestServices;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await s.close();
    await smtp.close();
  });

  it("delivers a queued message over SMTP once, even when its cause is queued twice", async () => {
    await s.db.transaction(async (tx) => {
      await enqueueMail(tx, { causeKey: "test:1", to: "ana@example.pe", subject: "Hola", text: "Texto" });
      await enqueueMail(tx, { causeKey: "test:1", to: "ana@example.pe", subject: "Hola", text: "Texto" });
    });
    await s.mailWorker.drain();
    await s.mailWorker.drain();
    const received = smtp.messages.filter((m) => m.subject === "Hola");
    expect(received).toHaveLength(1);
    expect(received[0]!.text?.trim()).toBe("Texto");
  });

  it("writes nothing when the cause's transaction rolls back", async () => {
    await expect(
      s.db.transaction(async (tx) => {
        await enqueueMail(tx, { causeKey: "test:rollback", to: "ana@example.pe", subject: "Nunca", text: "x" });
        throw new Error("cause failed");
      }),
    ).rejects.toThrow("cause failed");
    await s.mailWorker.drain();
    expect(smtp.messages.some((m) => m.subject === "Nunca")).toBe(false);
  });

  it("keeps retrying while SMTP is down and delivers once when it is back", async () => {
    smtp.down();
    await enqueueMail(s.db, { causeKey: "test:down", to: "luis@example.pe", subject: "Reintento", text: "x" });
    await s.mailWorker.drain();
    expect(smtp.messages.some((m) => m.subject === "Reintento")).toBe(false);
    const [row] = await s.db.select().from(outbox).where((await import("drizzle-orm")).eq(outbox.causeKey, "test:down"));
    expect(row!.status).toBe("pendiente");
    expect(row!.attempts).toBe(1);
    smtp.up();
    // The backoff is in the database's clock: make the row due now.
    await s.db.update(outbox).set({ nextAttemptAt: new Date(Date.now() - 1000) });
    await s.mailWorker.drain();
    await s.mailWorker.drain();
    expect(smtp.messages.filter((m) => m.subject === "Reintento")).toHaveLength(1);
  });

  it("writes .eml files under DATA_DIR/mail when no SMTP_URL is set", async () => {
    const logger = createLogger("silent");
    const transport = createMailTransport({ dataDir: s.config.dataDir, logger });
    const worker = createMailWorker({ db: s.db, transport, from: s.config.mailFrom, logger });
    await enqueueMail(s.db, { causeKey: "test:file", to: "eva@example.pe", subject: "En disco", text: "x" });
    await worker.drain();
    const files = readdirSync(path.join(s.config.dataDir, "mail"));
    expect(files.some((f) => f.endsWith(".eml"))).toBe(true);
  });
});
