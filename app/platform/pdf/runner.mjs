#!/usr/bin/env node
/**
 * The PDF child runner: a small long-lived process that starts and watches the PDF
 * children (qpdf, the pdf-lib worker) for the server (child.server.ts), over the IPC
 * channel. Why: starting a child is fork() + exec(), and libuv's spawn blocks the calling
 * event loop until the child has exec'd — longer the more memory the caller maps (a
 * 200 MB server: ~10 ms idle, 100+ ms on a loaded machine, every request of the server
 * waiting meanwhile). Here the wait falls on this ~40 MB process instead.
 *
 *   → { id, command, args, options }            (options: WatchOptions)
 *   ← { id, pid }                                 once the child runs (the server kills it if this process dies)
 *   ← { id, result } | { id, error: { message, code } }
 *
 * It never reads a PDF itself. It exits when the server goes away (the IPC channel
 * closes), killing its children.
 */
import { watchChild } from "./watch.mjs";

const children = new Set();

process.on("message", (message) => {
  const { id, command, args, options } = message;
  let pid;
  watchChild(command, args, options, (p) => {
    pid = p;
    children.add(p);
    process.send?.({ id, pid });
  }).then(
    (result) => process.send?.({ id, result }),
    (error) => process.send?.({ id, error: { message: String(error?.message ?? error), code: error?.code } }),
  ).finally(() => children.delete(pid));
});

process.on("disconnect", () => {
  for (const pid of children) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  process.exit(0);
});
