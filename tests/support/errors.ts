import { AppError } from "~/shared/app-error";

/**
 * The code of a use case's refusal (an AppError), or the thing itself when it is not one, so
 * that `expect(codeOf(e)).toBe("cuenta.demasiados_intentos")` names what came instead.
 */
export const codeOf = (error: unknown) => (error instanceof AppError ? error.code : error);
