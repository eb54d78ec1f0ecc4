// A real SMTP server on loopback for the e2e run: each message is saved as JSON
// (to, subject, text, html, attachments' names) in MAIL_SINK_DIR for the tests to read.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const dir = process.env.MAIL_SINK_DIR;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let n = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        n += 1;
        const record = {
          to: mail.to?.value?.map((a) => a.address) ?? [],
          subject: mail.subject,
          text: mail.text,
          html: typeof mail.html === "string" ? mail.html : null,
          attachments: mail.attachments.map((a) => ({ filename: a.filename, size: a.size, contentType: a.contentType })),
          date: new Date().toISOString(),
        };
        writeFileSync(path.join(dir, `${Date.now()}-${String(n).padStart(5, "0")}.json`), JSON.stringify(record));
        callback();
      })
      .catch(callback);
  },
});
server.listen(Number(process.env.SMTP_PORT ?? 2526), "127.0.0.1");
