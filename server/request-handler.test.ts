import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buffer } from "node:stream/consumers";
import type express from "express";
import { afterEach, expect, test } from "vitest";
import type { EdgeBody } from "./edge";
import { lazyBody } from "./request-handler";

/** A real HTTP server whose handler gets the request's lazy body; answers with what it read. */
let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handle: (body: ReturnType<typeof lazyBody>) => Promise<unknown>, edge?: EdgeBody) {
  server = http.createServer((req, res) => {
    handle(lazyBody(req as express.Request, edge)).then(
      (answer) => res.end(JSON.stringify(answer)),
      (error: Error) => res.end(JSON.stringify({ error: error.message })),
    );
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const bytes = randomBytes(3 * 1024 * 1024 + 17);

test("an untouched POST body is the Node stream's, whole; the Request's body is then empty", async () => {
  const base = await serve(async (body) => {
    const node = body.takeNode();
    const again = body.takeNode();
    const read = await buffer(node!);
    const web = await new Response(body.stream).arrayBuffer();
    return { same: read.equals(bytes), again: again === undefined, web: web.byteLength };
  });
  const res = await fetch(base, { method: "POST", body: bytes });
  expect(await res.json()).toEqual({ same: true, again: true, web: 0 });
});

test("a POST body read through the Request is not handed out as the Node stream", async () => {
  const base = await serve(async (body) => {
    const web = Buffer.from(await new Response(body.stream).arrayBuffer());
    return { same: web.equals(bytes), node: body.takeNode() === undefined };
  });
  const res = await fetch(base, { method: "POST", body: bytes });
  expect(await res.json()).toEqual({ same: true, node: true });
});

test("GET has no body either way", async () => {
  const base = await serve(async (body) => ({ stream: body.stream === undefined, node: body.takeNode() === undefined }));
  expect(await (await fetch(base)).json()).toEqual({ stream: true, node: true });
});

/** A chunked body (no Content-Length): sent as the stream produces it. */
const chunked = (data: Buffer) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < data.length; at += 64 * 1024) controller.enqueue(data.subarray(at, at + 64 * 1024));
      controller.close();
    },
  });

for (const way of ["web", "node"] as const) {
  test(`a chunked upload is cut at its limit (${way}): the reader fails, the body is marked exceeded`, async () => {
    const limit = 1024 * 1024;
    const base = await serve(
      async (body) => {
        const read = way === "web" ? new Response(body.stream).arrayBuffer() : buffer(body.takeNode()!);
        const error = await read.then(
          () => "read whole",
          (e: Error) => e.name,
        );
        return { error, exceeded: body.exceeded() };
      },
      { kind: "upload", limit, counted: true },
    );
    const res = await fetch(base, { method: "POST", body: chunked(bytes), duplex: "half" } as RequestInit);
    expect(await res.json()).toEqual({ error: "BodyTooLargeError", exceeded: true });
  });
}

test("a chunked upload within its limit is read whole, and a form the edge read is the Request's body", async () => {
  const within = await serve(
    async (body) => ({ same: (await buffer(body.takeNode()!)).equals(bytes), exceeded: body.exceeded() }),
    { kind: "upload", limit: bytes.length, counted: true },
  );
  const res = await fetch(within, { method: "POST", body: chunked(bytes), duplex: "half" } as RequestInit);
  expect(await res.json()).toEqual({ same: true, exceeded: false });
  server!.close();
  const form = await serve(async (body) => ({ text: await new Response(body.stream).text(), node: body.takeNode() === undefined }), {
    kind: "form",
    bytes: Buffer.from("a=1&b=2"),
  });
  expect(await (await fetch(form, { method: "POST", body: "ignored" })).json()).toEqual({ text: "a=1&b=2", node: true });
});
