// The bare React Router app of bench/crowd.mjs, served as React Router's own Express template
// serves it (compression, the built assets, createRequestHandler): the framework's floor.
//   PORT=3292 node bench/bare-rr/server.mjs   (after `npx react-router build` in bench/bare-rr;
//   with BARE_ROUTES=app, the build among the app's route table: see app/routes.ts)
import { createRequestHandler } from "@react-router/express";
import compression from "compression";
import express from "express";

const here = new URL(".", import.meta.url).pathname;
process.chdir(here);
const build = process.env.BARE_ROUTES === "app" ? "build-app-routes" : "build";
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/assets", express.static(`${build}/client/assets`, { immutable: true, maxAge: "1y" }));
app.use(express.static(`${build}/client`, { maxAge: "1h" }));
app.all("/{*splat}", createRequestHandler({ build: await import(`./${build}/server/index.js`), mode: "production" }));
app.listen(Number(process.env.PORT ?? 3292), "127.0.0.1", () => console.log(`bare React Router app on ${process.env.PORT ?? 3292}`));
