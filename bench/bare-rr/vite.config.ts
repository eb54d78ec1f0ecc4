import { fileURLToPath } from "node:url";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

// "~" points into the app, so the bare app renders the app's own /privacidad component.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("../../app", import.meta.url)) } },
  build: { target: "node20" },
  plugins: [reactRouter()],
});
