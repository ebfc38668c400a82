// A petition's journey in Debian's chromium with JavaScript turned off, as on an old phone:
// start it from the form, sign it showing one's pseudonym, see the count and the curve,
// withdraw; then read the page in French. Run by crates/agora/tests/browser.rs (with
// initiatives.test.mjs), which starts the node and the account.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { base, launch, pageIn as open, password } from "./support.mjs";

const user = process.env.AGORA_USER;

let browser;
const problems = [];

before(async () => {
  assert.ok(base && user && password, "AGORA_BASE_URL, AGORA_USER and AGORA_PASSWORD are required");
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

function pageIn(locale) {
  return open(browser, locale, problems);
}

test("a citizen starts a petition, signs it, sees the curve and withdraws, without JavaScript", async () => {
  const page = await pageIn("en-GB");
  await page.goto(`${base}/login`);
  await page.fill("#username", user);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);

  await page.click("text=Start a petition");
  await page.fill("#title", "Des fontaines dans les parcs");
  await page.fill("#text", "Les étés sont chauds.\n\nNous demandons des fontaines.");
  await page.fill("#target", "Conseil municipal");
  const deadline = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.fill("#deadline", deadline);
  await page.fill("#milestones", "1, 100");
  await Promise.all([page.waitForURL(/\/petitions\/\d+$/), page.click("form[action='/petitions'] button")]);
  const url = page.url();
  await page.waitForSelector("h1:has-text('Des fontaines dans les parcs')");
  await page.waitForSelector("text=0 verified signatures");

  await page.check("#show_name");
  await Promise.all([page.waitForLoadState("load"), page.click("form[action$='/sign'] button")]);
  await page.waitForSelector("text=1 verified signatures");
  await page.waitForSelector("text=You signed this petition.");
  await page.waitForSelector(`li:has-text("@${user}@")`);
  // The curve is an image that loads, with its figures in a table beside it.
  const curve = await page.$eval("figure img", (img) => ({ src: img.src, alt: img.alt }));
  assert.match(curve.src, /\/curve\.svg$/);
  assert.ok(curve.alt.length > 10, "the curve has a text alternative");
  const svg = await page.request.get(curve.src);
  assert.equal(svg.status(), 200);
  assert.match(svg.headers()["content-type"], /image\/svg\+xml/);
  await page.waitForSelector("caption:has-text('Signatures over time')");

  await Promise.all([page.waitForLoadState("load"), page.click("form[action$='/withdraw'] button")]);
  await page.waitForSelector("text=0 verified signatures");

  const french = await pageIn("fr-FR");
  await french.goto(url);
  await french.waitForSelector("text=0 signatures vérifiées");
  await french.waitForSelector("text=Connectez-vous pour signer");
  await french.waitForSelector("caption:has-text('Signatures au fil du temps')");
  assert.deepEqual(problems, []);
});
