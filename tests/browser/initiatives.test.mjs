// Browser flows of a citizen on one node, in Debian's chromium driven by playwright-core:
// log in, post, start an initiative, publish an update, reply under it, find it in the
// directory, read the page in French. Run by crates/agora/tests/browser.rs, which starts the
// node and the account and passes AGORA_BASE_URL, AGORA_USER and AGORA_PASSWORD.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.AGORA_BASE_URL;
const user = process.env.AGORA_USER;
const password = process.env.AGORA_PASSWORD;
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

let browser;
let page;
const problems = [];

before(async () => {
  assert.ok(base && user && password, "AGORA_BASE_URL, AGORA_USER and AGORA_PASSWORD are required");
  browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ locale: "en-GB" });
  page = await context.newPage();
  // Any script error or failed request of our own pages is a defect.
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} for ${r.url()}`);
  });
});

after(async () => {
  await browser?.close();
});

test("a citizen logs in, posts, starts an initiative, publishes an update and replies", async () => {
  await page.goto(`${base}/login`);
  await page.fill("#username", user);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);

  await page.fill("#content", "Hello from a real browser");
  await Promise.all([page.waitForLoadState("load"), page.click("form[action='/posts'] button")]);
  await page.waitForSelector("text=Hello from a real browser");

  await page.goto(`${base}/initiatives/new`);
  await page.fill("#handle", "jardin_e2e");
  await page.fill("#name", "Jardin partagé");
  await page.fill("#description", "Un jardin pour le quartier.\n\nOuvert à tous.");
  await page.fill("#goals", "Planter 20 arbres");
  await page.fill("#tags", "ecologie quartier");
  await page.fill("#place", "Lyon 8e");
  await Promise.all([
    page.waitForURL(`${base}/initiatives/jardin_e2e`),
    page.click("form[action='/initiatives'] button[type=submit]"),
  ]);
  assert.equal(await page.textContent("h1"), "Jardin partagé");
  assert.match(await page.textContent("main"), /Planter 20 arbres/);

  await page.fill("form[action='/initiatives/jardin_e2e/updates'] #content", "First meeting on Thursday");
  await Promise.all([
    page.waitForURL(`${base}/initiatives/jardin_e2e`),
    page.click("form[action='/initiatives/jardin_e2e/updates'] button[type=submit]"),
  ]);
  const update = page.locator("article.post", { hasText: "First meeting on Thursday" });
  await update.waitFor();

  // The update's page: its thread, with the reply form.
  await Promise.all([page.waitForLoadState("load"), update.locator("footer a").first().click()]);
  assert.match(page.url(), /\/posts\/\d+$/);
  const thread = page.url();
  await page.fill("#content", "I will bring seeds");
  await Promise.all([page.waitForURL(thread), page.click("section form button[type=submit]")]);
  await page.locator("section article.post", { hasText: "I will bring seeds" }).waitFor();

  // The directory finds it by tag, with its organizer named.
  await page.goto(`${base}/initiatives?tag=ecologie`);
  const card = page.locator("article.post", { hasText: "Jardin partagé" });
  await card.waitFor();
  assert.match(await card.textContent(), new RegExp(user));

  assert.deepEqual(problems, []);
});

test("the pages speak French to a French browser", async () => {
  const context = await browser.newContext({ locale: "fr-FR" });
  const french = await context.newPage();
  await french.goto(`${base}/initiatives`);
  assert.match(await french.textContent("main"), /Chercher/);
  await context.close();
});
