// The start command. Production: the built bundle (build/server/index.js, from
// server/app.ts). `--dev`: the same app through Vite, with hot reload.
// `--production` (npm start) sets NODE_ENV=production here, before anything is loaded,
// rather than through a wrapper process that costs a second node start.
if (process.argv.includes("--production")) process.env.NODE_ENV = "production";
const command = process.argv.find((arg) => arg === "backup" || arg === "restore");
if (command) {
  // `npm run backup -- DIR` / `npm run restore -- DIR` (docs/deploy.md): the built app's code.
  const { runBackupCommand } = await import("./build/server/index.js");
  await runBackupCommand(command, process.argv[process.argv.indexOf(command) + 1]);
} else if (process.argv.includes("--dev")) {
  const vite = await import("vite").then((v) =>
    v.createServer({ server: { middlewareMode: true }, appType: "custom" }),
  );
  const { start } = await vite.ssrLoadModule("./server/app.ts");
  await start({ vite });
} else {
  const { start } = await import("./build/server/index.js");
  await start();
}
