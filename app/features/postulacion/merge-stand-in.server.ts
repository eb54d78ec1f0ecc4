import { runWatched } from "~/platform/pdf/child.server";
import { DEFAULT_MAX_RSS_BYTES, parseWorkerAnswer, pdfJobLimiter, pdfWorkerPath } from "~/platform/pdf/inspect.server";

/**
 * STAND-IN until app/platform/pdf/merge.server.ts (helper-5) lands: runs the same PDF
 * worker's "merge" mode in a watched child. Returns each input's page count.
 */
export async function mergePdfs(output: string, inputs: string[]): Promise<{ pages: number[] }> {
  const result = await pdfJobLimiter.run(() =>
    runWatched(process.execPath, [pdfWorkerPath(), "merge", output, ...inputs], {
      maxRssBytes: DEFAULT_MAX_RSS_BYTES,
      timeoutMs: 60_000,
    }),
  );
  if (result.killedFor) throw new Error(`pdf merge killed for ${result.killedFor}`);
  const answer = parseWorkerAnswer(result.stdout, result.stderr);
  if (answer.ok !== true) throw new Error(`pdf merge failed: ${String(answer.detail ?? answer.code)}`);
  return { pages: answer.pages as number[] };
}
