import { data, type AppLoadContext } from "react-router";
import type { z } from "zod";
import { CSRF_FIELD, isValidCsrf } from "./csrf.server";
import { isUuid } from "~/shared/ids";
import { CONTROL, CONTROL_BUT_TEXT, isIdName } from "~/shared/input-rules";

/** What an action returns when a form has errors: shown at each field and in the summary. */
export type FormErrors = {
  errors: Record<string, string>;
  /** What was typed, to render it again (passwords are never echoed). */
  values: Record<string, string>;
};

/**
 * Reads a form post and checks its CSRF token; every action starts here.
 * A missing or wrong token is a 403 with nothing done.
 */
export async function readForm(request: Request, context: AppLoadContext): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw data({ errors: { form: "No se pudo leer el formulario." }, values: {} } satisfies FormErrors, { status: 400 });
  }
  assertCsrf(formData.get(CSRF_FIELD), context);
  return formData;
}

/**
 * The text fields of a multipart form, by the edge's rules (server/edge.ts checks every
 * urlencoded form before the router runs): a control character is a 400, a field named
 * `id`/`…Id` that is not a UUID a 404; then the CSRF token. The upload readers call it once
 * the fields before the file are read.
 */
export function assertFormFields(fields: FormData, context: AppLoadContext): void {
  for (const [name, value] of fields) {
    if (typeof value !== "string") continue;
    if (CONTROL.test(name) || CONTROL_BUT_TEXT.test(value)) {
      context.logger.warn({ field: name.slice(0, 40) }, "form refused: control character");
      throw new Response("El formulario contiene caracteres no válidos. Vuelva atrás, revise lo escrito e inténtelo de nuevo.", {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }
    if (isIdName(name) && !isUuid(value)) {
      context.logger.warn({ field: name.slice(0, 40) }, "form refused: not an id");
      throw new Response("No encontramos lo solicitado.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
  }
  assertCsrf(fields.get(CSRF_FIELD), context);
}

export function assertCsrf(token: unknown, context: AppLoadContext): void {
  if (!isValidCsrf(context.services.config.sessionSecret, context.csrfCookie, token)) {
    context.logger.warn("csrf token missing or invalid");
    throw new Response("La página caducó. Vuelva atrás, recárguela e inténtelo de nuevo.", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

const SECRET_FIELDS = /password|contrasena|csrf|codigo/i;

/** The submitted text fields, minus secrets (but the fields in `also`), to put back in the form after an error. */
export function echoValues(formData: FormData, also: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && (!SECRET_FIELDS.test(key) || also.includes(key))) values[key] = value.slice(0, 2000);
  }
  return values;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string> };

/**
 * Validates with the form's Zod schema; the first message of each field is kept.
 *
 * A field the schema declares as an array (`z.array(…)`, also inside a union of intents or
 * before a `.transform`) gets every value sent under its name (`formData.getAll`), in order,
 * and `[]` when none was sent: a group of checkboxes with none ticked sends nothing. Any other
 * field gets the last value sent under its name. The CSRF token is never part of the input.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): Parsed<z.output<S>> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of formData) {
    if (key !== CSRF_FIELD) input[key] = value;
  }
  for (const key of arrayFields(schema)) input[key] = formData.getAll(key);
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** What parseForm reads of a schema's definition: objects, unions of them, pipes and wrappers. */
type Def = { type: string; shape?: Record<string, Schema>; options?: Schema[]; in?: Schema; innerType?: Schema };
type Schema = { _zod: { def: unknown } };
const defOf = (schema: Schema) => schema._zod.def as Def;
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"]);

/** The names of the fields the schema declares as arrays. */
function arrayFields(schema: Schema, names = new Set<string>()): Set<string> {
  const def = defOf(schema);
  if (def.type === "object") {
    for (const [name, field] of Object.entries(def.shape!)) {
      let inner = defOf(field);
      while (WRAPPERS.has(inner.type)) inner = defOf(inner.innerType!);
      if (inner.type === "array") names.add(name);
    }
  } else if (def.type === "union") def.options!.forEach((option) => arrayFields(option, names));
  else if (def.type === "pipe") arrayFields(def.in!, names);
  else if (WRAPPERS.has(def.type)) arrayFields(def.innerType!, names);
  return names;
}

/** The 422 answer for a form with errors; `echo`: fields typed back although their name looks secret. */
export function invalid(formData: FormData, errors: Record<string, string>, status = 422, echo: readonly string[] = []) {
  return data({ errors, values: echoValues(formData, echo) } satisfies FormErrors, { status });
}

/** The path of the one POST read without a CSRF token (below); server/edge.ts bounds its body. */
export const ONE_CLICK_UNSUBSCRIBE_PATH = /^\/alertas\/baja(?:\.data)?\/?$/;

/**
 * The one form read WITHOUT a CSRF token: the one-click unsubscribe of RFC 8058 (an alert's
 * e-mail, /alertas/baja). The mail provider (Gmail, Outlook, …) POSTs `List-Unsubscribe=One-Click`
 * to the List-Unsubscribe address from its own servers: no cookie, no page of ours, so no token
 * can be there. What authorises it is the signed token in that address, which only the mailbox
 * holds, and all it can do is delete that one alert; a page on another site could only do it
 * with the token, i.e. already having the e-mail. The body is the RFC's pair, urlencoded (read and
 * bounded by the edge as every form) or multipart (RFC 8058 prefers it; the edge admits a few KiB
 * on this path only). True when the body says `List-Unsubscribe=One-Click`.
 */
export async function readOneClickUnsubscribe(request: Request): Promise<boolean> {
  try {
    return (await request.formData()).get("List-Unsubscribe") === "One-Click";
  } catch {
    return false;
  }
}
