// After `react-router build`: a Brotli (quality 11) and a gzip (level 9) copy beside every
// built asset worth compressing, so the server sends them as they are (server/setup/static.ts,
// express-static-gzip) instead of compressing the same files again on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = path.resolve(process.argv[2] ?? "build/client/assets");
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|map)$/;
let files = 0;
let before = 0;
let after = 0;
for (const name of readdirSync(root, { recursive: true })) {
  const file = path.join(root, String(name));
  if (!COMPRESSIBLE.test(file) || !statSync(file).isFile()) continue;
  const bytes = readFileSync(file);
  if (bytes.length < 1024) continue;
  const br = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  files++;
  before += bytes.length;
  after += br.length;
}
console.log(`precompressed ${files} assets: ${Math.round(before / 1024)} KiB → ${Math.round(after / 1024)} KiB (br)`);
