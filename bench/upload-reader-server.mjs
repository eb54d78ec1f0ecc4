// One version of the upload reader behind node:http, for bench/upload-reader.mjs:
//   node bench/upload-reader-server.mjs <bundled upload.server module> <port> <tmpDir>
// Each POST is read as the app reads an upload (readUpload on the Node request: temp file,
// hash on the way, the limit from the fields before the file); the answer is the SHA-256,
// then the temp file is deleted (the app would move it to storage).
import http from "node:http";
import { pathToFileURL } from "node:url";

const [modulePath, port, tmpDir] = process.argv.slice(2);
const { readUpload, discardUpload, MB } = await import(pathToFileURL(modulePath).href);

const server = http.createServer(async (req, res) => {
  const request = new Request(`http://127.0.0.1${req.url}`, { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" } });
  try {
    const { file } = await readUpload(request, { tmpDir, nodeBody: req, limitFor: () => 10 * MB });
    res.end(file?.sha256 ?? "");
    await discardUpload(file);
  } catch (error) {
    res.statusCode = error.status ?? 500;
    res.end(String(error.message));
  }
});
server.listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\n"));
