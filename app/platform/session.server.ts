import { and, eq, gt, gte, ne } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { sessions } from "~/db/schema";
import { hashToken, newToken } from "./tokens.server";

/** ARCHITECTURE / issue 2: 30 minutes idle, 12 hours absolute. */
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** lastSeenAt is written at most once a minute, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export type Principal =
  | { kind: "postulante"; postulanteId: string; sessionHash: string; lastSeenAt: Date }
  | { kind: "staff"; staffId: string; sessionHash: string; lastSeenAt: Date };

/** Starts a fresh session (the token is new at every sign-in: rotation). */
export async function createSession(
  db: Db,
  owner: { postulanteId: string } | { staffId: string },
  now: Date,
): Promise<string> {
  const { token, hash } = newToken();
  await db.insert(sessions).values({
    idHash: hash,
    ...owner,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS),
  });
  return token;
}

/** The session's owner, or null when the token is unknown, idle too long or past its 12 hours. */
export async function readSession(db: Db, token: string | undefined, now: Date): Promise<Principal | null> {
  if (!token || token.length > 100) return null;
  const idHash = hashToken(token);
  const row = await db.query.sessions.findFirst({ where: eq(sessions.idHash, idHash) });
  if (!row) return null;
  if (row.expiresAt <= now || now.getTime() - row.lastSeenAt.getTime() > IDLE_TIMEOUT_MS) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  }
  if (row.postulanteId) return { kind: "postulante", postulanteId: row.postulanteId, sessionHash: idHash, lastSeenAt: now };
  if (row.staffId) return { kind: "staff", staffId: row.staffId, sessionHash: idHash, lastSeenAt: now };
  return null;
}

/**
 * Marks the session as active now, whatever readSession did ("Seguir conectado").
 * Never revives a session past its idle or absolute end; false when there was none to touch.
 */
export async function touchSession(db: Db, idHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(sessions.idHash, idHash),
        gt(sessions.expiresAt, now),
        gte(sessions.lastSeenAt, new Date(now.getTime() - IDLE_TIMEOUT_MS)),
      ),
    )
    .returning({ idHash: sessions.idHash });
  return rows.length > 0;
}

export async function destroySession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.delete(sessions).where(eq(sessions.idHash, hashToken(token)));
}

/** Ends every session of a postulante but one (or all, without `keep`). */
export async function destroyPostulanteSessions(db: Db, postulanteId: string, keepHash?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(keepHash ? and(eq(sessions.postulanteId, postulanteId), ne(sessions.idHash, keepHash)) : eq(sessions.postulanteId, postulanteId));
}

export async function destroyStaffSessions(db: Db, staffId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.staffId, staffId));
}
