/**
 * What a submitted value may hold (server/edge.ts checks the path, the query and urlencoded
 * forms; forms.server.ts the text fields of a multipart form). PostgreSQL's text cannot hold
 * NUL, and no field of this app means a control character; tab, CR and LF are text (a
 * textarea keeps its line breaks).
 */
export const CONTROL = /\p{Cc}/u;
export const CONTROL_BUT_TEXT = /(?![\t\n\r])\p{Cc}/u;

/** A field or parameter that carries an entity's id (a UUID): `id`, `postulacionId`, … */
export const isIdName = (name: string) => name === "id" || /[a-z]Id$/.test(name);
