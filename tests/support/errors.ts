import { expect } from "vitest";
import { AppError, type AppErrorCode } from "~/shared/app-error";

/**
 * The code of a use case's refusal (an AppError), or the thing itself when it is not one, so
 * that `expect(codeOf(e)).toBe("cuenta.demasiados_intentos")` names what came instead.
 */
export const codeOf = (error: unknown) => (error instanceof AppError ? error.code : error);

/** `promise` is refused with an AppError of this code, status and message. */
export async function expectRefusal(promise: Promise<unknown>, code: AppErrorCode, status: number, message: RegExp) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code, status });
  expect((error as AppError).message).toMatch(message);
}
