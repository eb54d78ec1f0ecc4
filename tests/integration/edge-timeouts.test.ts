import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_TIMEOUTS } from "../../server/app";
import { startTestApp } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Issue 11, "slow clients cannot hold the server": the production server's timeouts, here
 * shortened (same code, createHttpServer), each closing a connection that overstays it.
 */
const TIMEOUTS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 1_500, checkIntervalMs: 200 };

/** Opens a socket, runs `drip` on it, resolves with what the server sent and when it closed. */
function connect(port: number, drip: (socket: net.Socket) => void): Promise<{ ms: number; received: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const started = performance.now();
    let received = "";
    socket.on("data", (d) => (received += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve({ ms: performance.now() - started, received }));
    socket.on("connect", () => drip(socket));
  });
}

/** Writes `text` a character every `everyMs` for as long as the socket is open. */
function trickle(socket: net.Socket, text: string, everyMs: number) {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    socket.write(text[i++ % text.length]!);
  }, everyMs);
  socket.on("close", () => clearInterval(timer));
}

describe("HTTP timeouts", () => {
  let services: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let port: number;

  beforeAll(async () => {
    services = await createTestServices();
    app = await startTestApp(services, { timeouts: TIMEOUTS });
    port = Number(new URL(app.baseUrl).port);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  it("the production values are deliberate: headers within 20 s, a request within 5 min, keep-alive past a load balancer's 60 s", () => {
    expect(HTTP_TIMEOUTS.headersTimeoutMs).toBe(20_000);
    expect(HTTP_TIMEOUTS.requestTimeoutMs).toBe(300_000);
    expect(HTTP_TIMEOUTS.keepAliveTimeoutMs).toBeGreaterThan(60_000);
    expect(app.server.headersTimeout).toBe(TIMEOUTS.headersTimeoutMs);
    expect(app.server.requestTimeout).toBe(TIMEOUTS.requestTimeoutMs);
    expect(app.server.keepAliveTimeout).toBe(TIMEOUTS.keepAliveTimeoutMs);
  });

  it("headers sent a byte at a time: 408 and closed at headersTimeout", async () => {
    const { ms, received } = await connect(port, (socket) => {
      socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      trickle(socket, "X-Slow: aaaaaaaa\r\n", 50);
    });
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 100);
    expect(ms).toBeLessThan(TIMEOUTS.headersTimeoutMs + 2_000);
  });

  it("a body sent a byte at a time: 408 and closed at requestTimeout", async () => {
    const { ms, received } = await connect(port, (socket) => {
      socket.write(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n",
      );
      trickle(socket, "a", 50);
    });
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 100);
    expect(ms).toBeLessThan(TIMEOUTS.requestTimeoutMs + 2_000);
  });

  it("an idle keep-alive connection is closed after keepAliveTimeout", async () => {
    const { ms, received } = await connect(port, (socket) => {
      socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUTS.keepAliveTimeoutMs - 100);
    expect(ms).toBeLessThan(TIMEOUTS.keepAliveTimeoutMs + 2_000);
  });
});
