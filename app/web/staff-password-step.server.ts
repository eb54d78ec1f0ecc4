import { eq } from "drizzle-orm";
import { redirect, type AppLoadContext } from "react-router";
import { staff } from "~/db/schema";
import { forbidden, getPrincipal } from "~/web/auth.server";

/**
 * For the second-factor pages only: a staff session that has passed the password step
 * (requireStaff would send it here again). Applicants get 403, the anonymous go to sign-in.
 */
export async function requireStaffPasswordStep(request: Request, context: AppLoadContext) {
  const principal = await getPrincipal(request, context);
  if (principal?.kind === "postulante") throw forbidden();
  if (principal?.kind !== "staff") throw redirect("/admin/login");
  const member = await context.services.db.query.staff.findFirst({ where: eq(staff.id, principal.staffId) });
  if (!member || member.disabledAt) throw redirect("/admin/login");
  return { principal, staff: member };
}
