import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Typing before and while the page's JavaScript takes over (issue 12, item 4). The app's
 * scripts are held back, so the server-rendered page is there but not yet hydrated, for as
 * long as the test needs; `release` lets them load.
 */
export async function holdScripts(page: Page): Promise<{ release: () => Promise<void> }> {
  const scripts = /\/assets\/[^?]*\.js(\?|$)/;
  let open!: () => void;
  const held = new Promise<void>((resolve) => (open = resolve));
  await page.route(scripts, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  return {
    release: async () => {
      open();
      await page.unroute(scripts);
    },
  };
}

/** Waits until React has taken over the element (hydrated it). */
export async function waitForHydration(element: Locator) {
  await expect
    .poll(() => element.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactFiber"))), { timeout: 60_000 })
    .toBe(true);
}

/**
 * Holds the data request of the client-side navigation to `path` until `release`: the page
 * being left stays on screen meanwhile, as on a slow connection.
 */
export async function holdNavigation(page: Page, path: string): Promise<{ release: () => Promise<void> }> {
  const data = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.data(\\?|$)`);
  let open!: () => void;
  const held = new Promise<void>((resolve) => (open = resolve));
  await page.route(data, async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  return {
    release: async () => {
      const answered = page.waitForResponse(data);
      open();
      await answered;
      await page.unroute(data);
    },
  };
}
