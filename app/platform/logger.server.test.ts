import { Writable } from "node:stream";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { expect, test } from "vitest";
import { createLogger } from "./logger.server";

/** Issue 11: a failed query's SQL and parameters (a document number) never reach the log. */
test("the err serializer withholds a failed query's SQL, its parameters, and quoted values", () => {
  const lines: string[] = [];
  const logger = createLogger(
    "info",
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString("utf8"));
        callback();
      },
    }),
  );
  const pg = Object.assign(new Error('invalid input syntax for type uuid: "12345678"'), {
    code: "22P02",
    detail: "Key (numero_documento)=(12345678) already exists.",
    routine: "string_to_uuid",
  });
  const error = new DrizzleQueryError('select "id" from "postulantes" where "numero_documento" = $1', ["12345678"], pg);
  logger.error({ err: error }, "unhandled error");
  logger.warn({ err: error.message }, "as a string");
  const text = lines.join("");
  expect(text).not.toContain("12345678");
  expect(text).not.toMatch(/select|postulantes|params/);
  const first = JSON.parse(lines[0]!) as { err: { type: string; message: string; cause: { code: string; routine: string; message: string; stack: string } } };
  expect(first.err.type).toBe("DrizzleQueryError");
  expect(first.err.message).toBe("Failed query (SQL withheld)");
  expect(first.err.cause).toMatchObject({ code: "22P02", routine: "string_to_uuid", message: 'invalid input syntax for type uuid: "…"' });
  expect(first.err.cause.stack).toMatch(/^\s+at /);
});
