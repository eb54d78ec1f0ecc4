import { createServer as createNetServer, type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createServer as createViteServer } from "vite";
import type { Services } from "~/platform/services.server";

/**
 * The real app (Express + React Router, through Vite like `npm run dev`) on a loopback
 * port, over the services a test built. Requests go over real HTTP.
 */
export async function startTestApp(
  services: Services,
  options: { timeouts?: typeof import("../../server/app").HTTP_TIMEOUTS } = {},
) {
  const vite = await createViteServer({
    configFile: "vite.config.ts",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
    logLevel: "silent",
  });
  const { createApp, createHttpServer, HTTP_TIMEOUTS } = (await vite.ssrLoadModule("./server/app.ts")) as typeof import("../../server/app");
  const app = createApp(services, { vite });
  // The production server's timeouts, unless a test shortens them.
  const server: Server = createHttpServer(app, options.timeouts ?? HTTP_TIMEOUTS);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    server,
    client: () => new TestClient(baseUrl),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await vite.close();
    },
  };
}

/** A browser without JavaScript: keeps cookies, follows no redirects, finds the CSRF token in pages. */
export class TestClient {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly baseUrl: string) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<Response & { html: string }> {
    const response = await fetch(this.baseUrl + path, {
      headers: { cookie: this.cookieHeader() },
      redirect: "manual",
    });
    this.remember(response);
    const html = await response.text();
    const token = html.match(/name="csrf" value="([^"]+)"/)?.[1];
    if (token) this.csrf = token;
    return Object.assign(response, { html });
  }

  /** Posts a form as a browser does (urlencoded, same-origin), adding the CSRF token unless given. */
  async post(path: string, fields: Record<string, string | string[] | undefined>, options: { csrf?: string | null } = {}) {
    if (!this.csrf && options.csrf === undefined) await this.get("/");
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null) body.append("csrf", csrf);
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    return this.send(path, body);
  }

  async send(path: string, body: BodyInit, headers: Record<string, string> = {}) {
    const response = await fetch(this.baseUrl + path, {
      method: "POST",
      body,
      // Required for a ReadableStream body (a body sent as it is produced).
      duplex: "half",
      headers: { cookie: this.cookieHeader(), origin: this.baseUrl, "sec-fetch-site": "same-origin", ...headers },
      redirect: "manual",
    } as RequestInit);
    this.remember(response);
    const html = await response.text();
    const token = html.match(/name="csrf" value="([^"]+)"/)?.[1];
    if (token) this.csrf = token;
    return Object.assign(response, { html });
  }
}

/** A port free on loopback right now, for an app started as a child process. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createNetServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
