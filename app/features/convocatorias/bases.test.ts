import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { writeFixtures, type Fixtures } from "../../../tests/support/pdfs";
import { basesProblem } from "./convocatoria-datos.server";

let dir: string;
let f: Fixtures;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cas-bases-"));
  f = await writeFixtures(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("bases made of two PDFs glued together are refused; a normal PDF and an incremental update are accepted", async () => {
  const bases = (file: string) => basesProblem({ path: file, size: statSync(file).size, filename: "bases.pdf" });
  expect(await bases(f.concatenated)).toBe("Las bases contienen varios PDF pegados uno tras otro. Cargue un solo PDF.");
  expect(await bases(f.normal)).toBeNull();
  expect(await bases(f.incrementalUpdate)).toBeNull();
});
