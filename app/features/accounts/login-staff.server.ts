import { eq } from "drizzle-orm";
import { staff } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { createSession, destroySession } from "~/platform/session.server";
import { credencialesInvalidas, loginKeys, throttledLookup } from "./login-postulante.server";

/** One answer for an unknown e-mail, a wrong password and a disabled account. */
export const STAFF_CREDENTIALS_MESSAGE = "Correo electrónico o contraseña incorrectos.";

export const staffThrottleKey = (email: string): string => `staff:${email}`;

/**
 * Staff sign-in at /admin/login, separate from applicants but under the same rules:
 * throttled per e-mail (counted atomically before the password is checked) and per IP (or per
 * known browser, see loginKeys), equal cost for unknown accounts, a new session each time. A disabled account is refused with the generic message, after the same work.
 */
export async function loginStaff(options: {
  services: Pick<Services, "db" | "hasher" | "throttle" | "clock">;
  /** Lower-cased (login.schema.ts). */
  email: string;
  password: string;
  ip: string;
  previousSessionToken?: string;
  /** The browser's device cookie, if any. */
  deviceCookie?: string;
}): Promise<{ sessionToken: string; staffId: string; deviceCookie: string }> {
  const { db, hasher, throttle, clock } = options.services;
  const now = clock.now();
  const accountKey = staffThrottleKey(options.email);
  const keys = loginKeys(throttle, accountKey, options.ip, options.deviceCookie);

  const member = await throttledLookup(
    throttle,
    keys,
    now,
    db.query.staff.findFirst({
      where: eq(staff.email, options.email),
      columns: { id: true, passwordHash: true, disabledAt: true },
    }),
  );
  const ok = member ? await hasher.verify(member.passwordHash, options.password) : await hasher.verifyNobody(options.password);
  if (!member || !ok || member.disabledAt) {
    await throttle.consume(keys.ip, now);
    throw credencialesInvalidas(STAFF_CREDENTIALS_MESSAGE, "wrong credentials or disabled account");
  }

  await throttle.reset(keys.account);
  const sessionToken = await db.transaction(async (tx) => {
    await destroySession(tx, options.previousSessionToken);
    return createSession(tx, { staffId: member.id }, now);
  });
  return { sessionToken, staffId: member.id, deviceCookie: throttle.issueDevice(accountKey, options.deviceCookie) };
}
