import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { E2E } from "./env";

/** Every page passes axe (WCAG 2.1 A and AA rules) with no violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

export type SunkMail = { to: string[]; subject: string; text: string; attachments: { filename: string }[] };

/** Waits for the newest message to `to` whose subject matches, from the loopback SMTP sink. */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 15_000): Promise<SunkMail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const files = readdirSync(E2E.mailDir).sort().reverse();
    for (const file of files) {
      const mail = JSON.parse(readFileSync(path.join(E2E.mailDir, file), "utf8")) as SunkMail;
      if (mail.to.includes(to) && subject.test(mail.subject)) return mail;
    }
    if (Date.now() > until) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first http(s) link in a text. */
export function linkIn(text: string): string {
  const m = text.match(/https?:\/\/\S+/);
  if (!m) throw new Error("no link in mail");
  return m[0];
}

/** A fresh document number, so runs never collide (8 digits for DNI). */
export function uniqueDni(): string {
  return String(10_000_000 + Math.floor(Math.random() * 89_999_999));
}
