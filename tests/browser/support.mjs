// What the browser tests share: Debian's chromium, pages with JavaScript turned off that record
// every server error they meet, and the log-in form.

import { chromium } from "playwright-core";

export const base = process.env.AGORA_BASE_URL;
export const password = process.env.AGORA_PASSWORD;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Starts chromium headless. */
export function launch() {
  return chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** A page in `locale`, without JavaScript; each 5xx answer is pushed onto `problems`. */
export async function pageIn(browser, locale, problems, options = {}) {
  const context = await browser.newContext({ locale, javaScriptEnabled: false, ...options });
  const page = await context.newPage();
  page.on("response", (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} for ${r.url()}`);
  });
  return page;
}

/** Logs `name` in through the form, landing on the home page. */
export async function logIn(page, name) {
  await page.goto(`${base}/login`);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("form[action='/login'] button")]);
}
