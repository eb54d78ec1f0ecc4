import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A plain script of the sources that runs in its own process or thread (the PDF runner and
 * worker, the hashing worker): beside the module asking (`moduleUrl`) when running from the
 * sources (tests, dev); from the Vite SSR bundle (build/server/…) it is not copied, so the
 * sources' path under the working directory is the fallback (`npm start` runs from the
 * project root): `<cwd>/app/<dirUnderApp>/<name>`.
 */
export function sourceScriptPath(name: string, dirUnderApp: string, moduleUrl: string, cwd: string = process.cwd()): string {
  const candidates = [path.join(path.dirname(fileURLToPath(moduleUrl)), name), path.join(cwd, "app", dirUnderApp, name)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${name} not found (looked in ${candidates.join(", ")})`);
  return found;
}
