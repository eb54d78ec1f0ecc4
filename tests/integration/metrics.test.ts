import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostulante } from "../support/accounts";
import { startTestApp } from "../support/http";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, signIn, upload } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * GET /metrics (issue 16): Prometheus text, readable from this machine or with the bearer
 * token, never through a proxy without it; after a journey the counters have moved.
 */
describe("metrics", { timeout: 120_000 }, () => {
  const token = "metrics-token-for-the-test-0123456789";
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    s = await createTestServices({ env: { METRICS_TOKEN: token }, now: new Date() });
    app = await startTestApp(s);
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };
  /** The value of one series (0 when it is not there yet). */
  const value = (text: string, series: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it("counts requests by route, uploads and their refusals, sign-in failures; shows the outbox, PDF jobs and the event loop", async () => {
    const before = await scrape();
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const client = await signIn(s, app.client(), p);
    await client.get(`/postulacion/${c.id}`);
    const pdf = await normalPdf(2, "DNI");
    expect((await upload(client, `/postulacion/${c.id}`, "DNI", pdf)).status).toBe(302);
    await client.get(`/postulacion/${c.id}`);
    const refused = await upload(client, `/postulacion/${c.id}`, "FICHA_CURRICULAR", new TextEncoder().encode("no soy un PDF"));
    expect(refused.status).toBe(422);

    const anonymous = app.client();
    await anonymous.get("/login");
    const wrong = await anonymous.post("/login", { tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, password: "Equivocada-123" });
    expect(wrong.status).toBe(401);

    const after = await scrape();
    const route = `route="/postulacion/:id"`;
    expect(value(after, `http_request_duration_seconds_count{method="GET",${route},status="200"}`)).toBeGreaterThan(
      value(before, `http_request_duration_seconds_count{method="GET",${route},status="200"}`),
    );
    expect(value(after, "upload_bytes_total")).toBe(value(before, "upload_bytes_total") + pdf.length);
    const refusals = after.split("\n").filter((l) => l.startsWith("upload_refusals_total{"));
    expect(refusals.length, after).toBeGreaterThan(0);
    expect(value(after, `signin_failures_total{portal="postulante"}`)).toBe(value(before, `signin_failures_total{portal="postulante"}`) + 1);
    expect(after).toMatch(/^outbox_pending_messages \d+/m);
    expect(after).toMatch(/^outbox_oldest_pending_age_seconds [\d.e+-]+/m);
    expect(after).toMatch(/^pdf_jobs\{state="running"\} \d+/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds [\d.e+-]+/m);
    // Query strings and document numbers never become labels.
    expect(after).not.toContain(p.numeroDocumento);
  });

  it("is not served through a proxy without the token, and is with it", async () => {
    const proxied = await fetch(`${app.baseUrl}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(proxied.status).toBe(404);
    const wrongToken = await fetch(`${app.baseUrl}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer nope" } });
    expect(wrongToken.status).toBe(404);
    const withToken = await fetch(`${app.baseUrl}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain("http_request_duration_seconds_bucket");
  });
});
