import { vi } from "vitest";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on loopback that keeps what it receives, parsed by mailparser (with
 * the message as received in `source`, for its MIME structure); `down()` makes it refuse mail.
 */
export async function startSmtpServer() {
  const messages: Array<ParsedMail & { source: string }> = [];
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (refusing) return callback(Object.assign(new Error("451 temporarily unavailable"), { responseCode: 451 }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        const source = Buffer.concat(chunks);
        simpleParser(source)
          .then((mail) => {
            messages.push(Object.assign(mail, { source: source.toString("utf8") }));
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    down: () => {
      refusing = true;
    },
    up: () => {
      refusing = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Drains the outbox and waits (up to 10 s) for the message to `to` whose subject matches. */
export async function receivedMail(
  services: { mailWorker: { drain(): Promise<number> } },
  smtp: Awaited<ReturnType<typeof startSmtpServer>>,
  to: string,
  subject: RegExp,
) {
  await services.mailWorker.drain();
  return vi.waitFor(
    () => {
      const m = smtp.messages.find((x) => (x.to as { text: string } | undefined)?.text === to && subject.test(x.subject ?? ""));
      if (!m) throw new Error(`no message ${subject} to ${to} yet`);
      return m;
    },
    { timeout: 10_000, interval: 100 },
  );
}
