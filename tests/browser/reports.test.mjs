// A report's journey in Debian's chromium with JavaScript turned off: a citizen reports a post
// from its Report link (in English), a moderator decides it on the desk (in French), and anyone
// reads the decision in the public moderation log, which never names the reporter. Run by
// crates/agora/tests/browser.rs, which starts the node, the accounts and the post.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { base, launch, logIn, pageIn as open, password } from "./support.mjs";

const user = process.env.AGORA_USER;
const moderator = process.env.AGORA_MODERATOR;
const postPath = process.env.AGORA_REPORTED_POST;

let browser;
const problems = [];

before(async () => {
  assert.ok(base && user && moderator && password && postPath, "the node, accounts and post are required");
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

function pageIn(locale) {
  return open(browser, locale, problems);
}

test("a post is reported, decided on the desk and listed in the public log, without JavaScript", async () => {
  const citizen = await pageIn("en-GB");
  await logIn(citizen, user);
  await citizen.goto(`${base}${postPath}`);
  await Promise.all([citizen.waitForURL(/\/report\?target=/), citizen.click("a.report")]);
  await citizen.waitForSelector("legend:has-text('Reason')");
  await citizen.check("#category-scams_and_fraud");
  await citizen.fill("#comment", "Sells a fake cure");
  await Promise.all([citizen.waitForURL(/\/reports\/\d+/), citizen.click("form[action='/report'] button")]);
  await citizen.waitForSelector("text=Waiting for a moderator");
  const mine = citizen.url().split("?")[0];

  const desk = await pageIn("fr-FR");
  await logIn(desk, moderator);
  await Promise.all([desk.waitForURL(`${base}/admin/reports`), desk.click("nav >> text=Modération")]);
  await desk.waitForSelector("td:has-text('Escroqueries et fraudes')");
  await Promise.all([desk.waitForURL(/\/admin\/reports\/\d+$/), desk.click("table a")]);
  await desk.waitForSelector("pre.snapshot:has-text('miracle')");
  await desk.check("#action-hide");
  await desk.fill("#reason", "Allégation de santé trompeuse.");
  await desk.fill("#ground", "CGU art. 2");
  await Promise.all([desk.waitForURL(/notice=decided/), desk.click("form[action$='/decision'] button")]);
  await desk.waitForSelector("text=La décision est enregistrée.");

  const visitor = await pageIn("en-GB");
  await visitor.goto(`${base}/about/moderation`);
  await visitor.waitForSelector("td:has-text('Hidden')");
  await visitor.waitForSelector("td:has-text('Allégation de santé trompeuse.')");
  const log = await visitor.content();
  assert.ok(!log.includes(user), "the public log never names the reporter");
  const french = await pageIn("fr-FR");
  await french.goto(`${base}/about/moderation`);
  await french.waitForSelector("td:has-text('Masqué')");

  await citizen.goto(mine);
  await citizen.waitForSelector("text=Allégation de santé trompeuse.");
  await citizen.waitForSelector("strong:has-text('Hidden')");
  // The post itself is gone for everyone.
  const gone = await visitor.goto(`${base}${postPath}`);
  assert.equal(gone.status(), 410);
  assert.deepEqual(problems, []);
});
