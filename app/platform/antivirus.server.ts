import { createReadStream } from "node:fs";
import { connect, type Socket } from "node:net";

/**
 * ClamAV through clamd's INSTREAM command over TCP (CLAMD_URL=tcp://127.0.0.1:3310).
 *
 *   const antivirus = createAntivirus(config.clamdUrl);     // when CLAMD_URL is set
 *   const r = await antivirus.scan(upload.path);            // { clean: true } | { clean: false, signature }
 *   if (!r.clean) refuse(ANTIVIRUS_MESSAGES.infected)        // log r.signature
 *
 * A clamd that cannot be reached, times out or answers something else REJECTS with an
 * AntivirusError: the caller refuses the upload with ANTIVIRUS_MESSAGES.unavailable
 * ("try again"), never accepts a file unscanned.
 *
 * Protocol: "zINSTREAM\0", then the file in chunks each preceded by its length as a
 * 4-byte big-endian integer, then a zero length; the reply is "stream: OK\0" or
 * "stream: <signature> FOUND\0". clamd's StreamMaxLength (default 100 MB) is far above
 * the upload limits.
 */
export type ScanResult = { clean: true } | { clean: false; signature: string };

export const ANTIVIRUS_MESSAGES = {
  infected: "El archivo contiene un virus",
  unavailable: "No se pudo revisar el archivo con el antivirus. Inténtelo de nuevo en unos minutos",
} as const;

export class AntivirusError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AntivirusError";
  }
}

export type Antivirus = {
  scan(filePath: string): Promise<ScanResult>;
  /** PING → PONG: clamd is up. */
  ping(): Promise<boolean>;
};

export type AntivirusOptions = {
  /** Whole scan, connect to reply (default 60 s: clamd may be busy with other scans). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  chunkBytes?: number;
};

export function parseClamdUrl(url: string): { host: string; port: number } {
  const match = /^tcp:\/\/([^/:]+):(\d{1,5})\/?$/.exec(url);
  if (!match) throw new AntivirusError(`CLAMD_URL must look like tcp://host:port`);
  return { host: match[1]!, port: Number(match[2]) };
}

/** Parses clamd's reply to INSTREAM. */
export function parseScanReply(reply: string): ScanResult {
  const text = reply.replace(/\0/g, "").trim();
  if (text === "stream: OK") return { clean: true };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { clean: false, signature: found[1]! };
  throw new AntivirusError(`clamd: ${text.slice(0, 200) || "empty reply"}`);
}

export function createAntivirus(clamdUrl: string, options: AntivirusOptions = {}): Antivirus {
  const { host, port } = parseClamdUrl(clamdUrl);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const chunkBytes = options.chunkBytes ?? 64 * 1024;

  /** Opens a session, lets `send` write, resolves with everything clamd said until it closed. */
  function session(send: (socket: Socket) => Promise<void>): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const chunks: Buffer[] = [];
      let settled = false;
      const fail = (message: string, cause?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(overall);
        socket.destroy();
        reject(new AntivirusError(message, { cause }));
      };
      const overall = setTimeout(() => fail(`clamd at ${host}:${port} did not answer within ${timeoutMs} ms`), timeoutMs);
      const connecting = setTimeout(() => fail(`clamd at ${host}:${port}: connection timed out`), connectTimeoutMs);
      socket.on("connect", () => {
        clearTimeout(connecting);
        send(socket).catch((error: unknown) => fail(`clamd at ${host}:${port}: ${(error as Error).message}`, error));
      });
      socket.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        // Replies of the z-commands end with a NUL: done.
        if (chunk.includes(0)) socket.end();
      });
      socket.on("error", (error) => {
        clearTimeout(connecting);
        fail(`clamd at ${host}:${port}: ${error.message}`, error);
      });
      socket.on("close", () => {
        clearTimeout(connecting);
        if (settled) return;
        settled = true;
        clearTimeout(overall);
        resolve(Buffer.concat(chunks).toString("utf8"));
      });
    });
  }

  const write = (socket: Socket, data: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      if (socket.destroyed) return reject(new Error("connection closed while sending"));
      socket.write(data, (error) => (error ? reject(error) : resolve()));
    });

  return {
    async scan(filePath) {
      const reply = await session(async (socket) => {
        await write(socket, Buffer.from("zINSTREAM\0"));
        for await (const chunk of createReadStream(filePath, { highWaterMark: chunkBytes })) {
          // clamd may answer early (size limit) and close: stop sending then.
          if (socket.destroyed || socket.writableEnded) return;
          const length = Buffer.alloc(4);
          length.writeUInt32BE((chunk as Buffer).length);
          await write(socket, length);
          await write(socket, chunk as Buffer);
        }
        await write(socket, Buffer.alloc(4));
      });
      return parseScanReply(reply);
    },
    async ping() {
      try {
        const reply = await session((socket) => write(socket, Buffer.from("zPING\0")));
        return reply.replace(/\0/g, "").trim() === "PONG";
      } catch {
        return false;
      }
    },
  };
}
