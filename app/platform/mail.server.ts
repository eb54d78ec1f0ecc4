import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type { Db } from "~/db/client.server";
import { outbox, type OutboxAttachment } from "~/db/schema";
import type { Logger } from "./logger.server";

export type OutgoingMail = {
  /** What caused this message, e.g. `verificar-email:<tokenhash>`; one cause, one message. */
  causeKey: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: OutboxAttachment[];
  /** Extra header fields (an alert's List-Unsubscribe and List-Unsubscribe-Post, RFC 8058). */
  headers?: Record<string, string>;
};

/**
 * Queue a message. Call it inside the transaction of its cause: the message exists
 * exactly when the cause was committed. A second call for the same cause is a no-op.
 */
export async function enqueueMail(db: Db, mail: OutgoingMail): Promise<void> {
  await db
    .insert(outbox)
    .values({
      causeKey: mail.causeKey,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments ?? [],
      headers: mail.headers ?? {},
    })
    .onConflictDoNothing({ target: outbox.causeKey });
}

export type MailTransport = {
  kind: "smtp" | "files";
  send(message: Mail.Options): Promise<void>;
  close(): void;
};

/**
 * SMTP when SMTP_URL is set; otherwise each message becomes an .eml file under DATA_DIR/mail.
 * nodemailer is loaded with the first message, not at start (bench/README.md, "Start").
 */
export function createMailTransport(options: { smtpUrl?: string; dataDir: string; logger: Logger }): MailTransport {
  let transporter: Promise<Transporter> | undefined;
  const transport = () =>
    (transporter ??= import("nodemailer").then(({ default: nodemailer }) =>
      options.smtpUrl
        ? nodemailer.createTransport(options.smtpUrl)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }),
    ));
  const close = () => void transporter?.then((t) => t.close(), () => undefined);
  if (options.smtpUrl) {
    return {
      kind: "smtp",
      send: async (message) => {
        await (await transport()).sendMail(message);
      },
      close,
    };
  }
  const dir = path.join(options.dataDir, "mail");
  return {
    kind: "files",
    send: async (message) => {
      const info = await (await transport()).sendMail(message);
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${String(message.messageId).replace(/[^a-z0-9]/gi, "").slice(0, 24)}.eml`;
      await writeFile(path.join(dir, name), info.message as Buffer);
      // The deployer reads the dev mailbox from the log: recipient and subject only.
      options.logger.info({ mailTo: message.to, subject: message.subject, file: path.join("mail", name) }, "mail written to disk");
    },
    close,
  };
}

const LEASE_SECONDS = 120;
const MAX_BACKOFF_SECONDS = 3600;
/** Past this many attempts (about two days at the maximum backoff) the row stays as 'fallido' for a person to see. */
const MAX_ATTEMPTS = 60;

/**
 * Delivers the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so
 * several app processes can run workers; a worker that dies mid-send leaves its row to
 * be retried when the lease ends. The Message-ID derives from the cause, so a
 * receiving server can recognise the only possible repeat (a crash between the SMTP
 * answer and the commit).
 */
export function createMailWorker(options: {
  db: Db;
  transport: MailTransport;
  from: string;
  logger: Logger;
  loadAttachment?: (storageKey: string) => Promise<Buffer>;
  pollMs?: number;
}) {
  const { db, transport, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  const domain = options.from.match(/@([^>\s]+)/)?.[1] ?? "cas.localhost";

  async function claim() {
    const result = await db.execute<{ id: number }>(sql`
      update ${outbox} set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      where id in (
        select id from ${outbox}
        where status = 'pendiente' and next_attempt_at <= now() and (locked_until is null or locked_until < now())
        order by id limit 10 for update skip locked)
      returning id`);
    const ids = (result as unknown as { rows: { id: number }[] }).rows.map((r) => Number(r.id));
    if (ids.length === 0) return [];
    return db.query.outbox.findMany({ where: (o, { inArray }) => inArray(o.id, ids) });
  }

  async function deliver(row: typeof outbox.$inferSelect): Promise<void> {
    try {
      const attachments = await Promise.all(
        row.attachments.map(async (a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: await (options.loadAttachment ?? missingStorage)(a.storageKey),
        })),
      );
      await transport.send({
        from: options.from,
        to: row.to,
        subject: row.subject,
        text: row.text,
        html: row.html ?? undefined,
        attachments,
        headers: row.headers,
        messageId: `<${createHash("sha256").update(row.causeKey).digest("hex").slice(0, 32)}@${domain}>`,
      });
      await db
        .update(outbox)
        .set({ status: "enviado", sentAt: new Date(), lockedUntil: null, lastError: null })
        .where(and(eq(outbox.id, row.id), eq(outbox.status, "pendiente")));
    } catch (error) {
      const backoff = Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** Math.min(row.attempts, 12));
      const failed = row.attempts >= MAX_ATTEMPTS;
      logger.warn({ outboxId: row.id, attempts: row.attempts, err: (error as Error).message }, "mail delivery failed");
      await db
        .update(outbox)
        .set({
          status: failed ? "fallido" : "pendiente",
          lastError: String((error as Error).message).slice(0, 500),
          lockedUntil: null,
          nextAttemptAt: sql`now() + make_interval(secs => ${backoff})`,
        })
        .where(eq(outbox.id, row.id));
    }
  }

  /** Deliver everything due now; returns how many rows were attempted. */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length === 0) return total;
      await Promise.all(rows.map(deliver));
      total += rows.length;
    }
  }

  function tick() {
    if (stopped) return;
    running ??= drain()
      .catch((error) => {
        logger.error({ err: (error as Error).message }, "mail worker error");
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    drain,
    /** Ask for a pass soon (after a commit that queued mail). */
    kick: () => setImmediate(tick),
    start() {
      stopped = false;
      timer = setInterval(tick, options.pollMs ?? 2000);
      timer.unref();
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

async function missingStorage(): Promise<Buffer> {
  throw new Error("no attachment storage configured");
}

export type MailWorker = ReturnType<typeof createMailWorker>;
