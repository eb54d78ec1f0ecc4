import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The layer rule of eslint.config.js (docs/architecture.md) is what keeps the house: an
 * import against routes → web → features → platform → db must fail `npm run lint`.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const x = y;\n`, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layer boundaries", () => {
  it.each([
    ["app/platform/example.server.ts", 'import { y } from "~/features/postulacion/estado";'],
    ["app/platform/example.server.ts", 'import { y } from "~/web/auth.server";'],
    ["app/features/postulacion/example.server.ts", 'import { y } from "~/web/forms.server";'],
    ["app/features/postulacion/example.server.ts", 'import { y } from "../../web/forms.server";'],
    ["app/features/postulacion/example.server.ts", 'import { y } from "~/routes/login";'],
    ["app/web/example.server.ts", 'import { y } from "~/routes/login";'],
    ["app/routes/example.tsx", 'import { y } from "~/db/schema";'],
    ["app/routes/example.tsx", 'import { y } from "drizzle-orm";'],
    ["app/shared/example.ts", 'import { y } from "~/platform/clock.server";'],
    ["app/ui/example.tsx", 'import { y } from "~/db/schema";'],
    ["app/ui/example.tsx", 'import { y } from "~/platform/config.server";'],
    ["app/db/example.server.ts", 'import { y } from "~/platform/clock.server";'],
  ])("%s may not `%s`", async (file, source) => {
    expect(await restricted(file, source)).toHaveLength(1);
  });

  it.each([
    ["app/routes/example.tsx", 'import { y } from "~/web/auth.server";'],
    ["app/web/example.server.ts", 'import { y } from "~/features/postulacion/estado";'],
    ["app/features/postulacion/example.server.ts", 'import { y } from "~/platform/clock.server";'],
    ["app/features/postulacion/example.server.ts", 'import { y } from "~/shared/lima";'],
    ["app/platform/example.server.ts", 'import { y } from "~/db/schema";'],
    ["app/ui/example.tsx", 'import { y } from "~/shared/format";'],
  ])("%s may `%s`", async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
