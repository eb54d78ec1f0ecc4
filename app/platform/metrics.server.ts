import { timingSafeEqual } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import client from "prom-client";
import type { Database } from "~/db/client.server";
import { outbox } from "~/db/schema";
import { pdfJobLimiter } from "./pdf/inspect.server";

/**
 * Prometheus metrics (GET /metrics, server/app.ts; docs/deploy.md). One registry per process:
 * counters and histograms are process-wide; the gauges read their sources (the database pool,
 * the outbox, the PDF job limiter) when scraped, from the app this process serves.
 */
export const registry = new client.Registry();
// Node's own: CPU, memory, GC, and nodejs_eventloop_lag_seconds (with its percentiles).
client.collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "Time to answer an HTTP request, by route and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const uploadBytes = new client.Counter({
  name: "upload_bytes_total",
  help: "Bytes of the documents accepted by CARGAR",
  registers: [registry],
});

export const uploadRefusals = new client.Counter({
  name: "upload_refusals_total",
  help: "Uploads refused, by reason (too large, not a PDF, encrypted, infected, window closed, …)",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const signInFailures = new client.Counter({
  name: "signin_failures_total",
  help: "Sign-ins refused for a wrong document, e-mail or password, by portal",
  labelNames: ["portal"] as const,
  registers: [registry],
});

export const throttledRequests = new client.Counter({
  name: "throttled_requests_total",
  help: "Requests answered 429 by a throttle, by route",
  labelNames: ["route"] as const,
  registers: [registry],
});

let database: Database | undefined;

/** The app whose pool and outbox the gauges read (the last one started in this process). */
export function observeDatabase(served: Database) {
  database = served;
}

new client.Gauge({
  name: "db_pool_connections",
  help: "PostgreSQL pool connections by state (in_use, idle, waiting clients); PGlite reports none",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const stats = database?.poolStats?.();
    if (!stats) return;
    this.set({ state: "in_use" }, stats.total - stats.idle);
    this.set({ state: "idle" }, stats.idle);
    this.set({ state: "waiting" }, stats.waiting);
  },
});

const outboxPending = new client.Gauge({
  name: "outbox_pending_messages",
  help: "E-mails in the outbox not yet sent",
  registers: [registry],
});
new client.Gauge({
  name: "outbox_oldest_pending_age_seconds",
  help: "Age of the oldest e-mail in the outbox not yet sent (0 when none)",
  registers: [registry],
  // One query for both gauges, run when scraped (collect runs before the values are read).
  async collect() {
    if (!database) return;
    const [row] = await database.db
      .select({
        n: sql<number>`count(*)::int`,
        oldest: sql<number | null>`extract(epoch from (now() - min(${outbox.createdAt})))::float8`,
      })
      .from(outbox)
      .where(and(eq(outbox.status, "pendiente")));
    outboxPending.set(row?.n ?? 0);
    this.set(row?.oldest ?? 0);
  },
});

new client.Gauge({
  name: "pdf_jobs",
  help: "PDF jobs (checks, sanitising, merges) by state: running, queued, and failed since start",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const stats = pdfJobLimiter.stats();
    this.set({ state: "running" }, stats.running);
    this.set({ state: "queued" }, stats.waiting);
    this.set({ state: "failed" }, stats.failed);
  },
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The route label of a request: its path with ids and numbers folded, so a label names a page,
 * not a visit; every 404 is one label (scanners would otherwise make a series per probe).
 */
export function routeLabel(pathname: string, status: number): string {
  if (status === 404) return "(not found)";
  if (pathname.startsWith("/assets/")) return "/assets/*";
  return pathname.replace(UUID, ":id").replace(/\/\d+(?=\/|$)/g, "/:n");
}

/** Who may scrape: this machine directly (no proxy in between), or whoever holds METRICS_TOKEN. */
export function mayScrape(request: { remoteAddress: string | undefined; forwardedFor: string | undefined; authorization: string | undefined }, token: string | undefined): boolean {
  if (token && request.authorization) {
    const given = Buffer.from(request.authorization);
    const expected = Buffer.from(`Bearer ${token}`);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  // Behind a reverse proxy on the same machine every request comes from loopback: one that
  // carries X-Forwarded-For came through the proxy and is not local.
  const loopback = request.remoteAddress === "127.0.0.1" || request.remoteAddress === "::1" || request.remoteAddress === "::ffff:127.0.0.1";
  return loopback && request.forwardedFor === undefined;
}
