// "Your data is yours" in Debian's chromium with JavaScript turned off: an archive asked for,
// followed while it builds and downloaded (in English); an account that lists an alias and moves
// to a new account that named it (in French); a deletion asked for with the password, shown with
// its date and cancelled (in English, then the French page). Run by crates/agora/tests/browser.rs,
// which starts the node and the accounts (the move's target already names the mover).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { base, launch, logIn, pageIn as open, password } from "./support.mjs";

const user = process.env.AGORA_USER;
const mover = process.env.AGORA_MOVER;
const target = process.env.AGORA_MOVE_TARGET;

let browser;
const problems = [];

before(async () => {
  assert.ok(base && user && mover && target && password, "the node and accounts are required");
  browser = await launch();
});

after(async () => {
  await browser?.close();
  assert.deepEqual(problems, [], "no server error on the way");
});

function pageIn(locale) {
  return open(browser, locale, problems, { acceptDownloads: true });
}

test("an archive is asked for, built and downloaded, without JavaScript", async () => {
  const page = await pageIn("en-GB");
  await logIn(page, user);
  await page.goto(`${base}/settings`);
  await Promise.all([page.waitForURL(`${base}/settings/export`), page.click("a[href='/settings/export']")]);
  await Promise.all([page.waitForURL(`${base}/settings/export`), page.click("form[action='/settings/export'] button")]);
  // The page reloads itself (meta refresh) until the archive is ready.
  const link = page.locator("a:has-text('Download')");
  await link.waitFor({ timeout: 30000 });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  assert.match(download.suggestedFilename(), /\.zip$/);
  const path = await download.path();
  const { readFile } = await import("node:fs/promises");
  const bytes = await readFile(path);
  assert.equal(bytes.subarray(0, 2).toString(), "PK", "a zip archive");
});

test("an account lists an alias and moves to a new one, in French, without JavaScript", async () => {
  const page = await pageIn("fr-FR");
  await logIn(page, mover);
  await page.goto(`${base}/settings`);
  await Promise.all([page.waitForURL(`${base}/settings/move`), page.click("a:has-text('Déménager votre compte')")]);
  await page.fill("#move-aliases", `@${target}@${new URL(base).host}`);
  await Promise.all([page.waitForURL(`${base}/settings/move`), page.click("form[action='/settings/aliases'] button")]);
  assert.equal((await page.inputValue("#move-aliases")).trim(), `${base}/users/${target}`);
  await page.fill("#move-target", `@${target}@${new URL(base).host}`);
  await Promise.all([page.waitForURL(`${base}/settings/move`), page.click("form[action='/settings/move'] button")]);
  await page.waitForSelector("text=Ce compte a déménagé");
  const profile = await pageIn("fr-FR");
  await profile.goto(`${base}/users/${mover}`);
  await profile.waitForSelector(`p.notice a[href='${base}/users/${target}']`);
});

test("a deletion is asked for with the password, dated, and cancelled", async () => {
  const page = await pageIn("en-GB");
  await logIn(page, user);
  await page.goto(`${base}/settings`);
  await Promise.all([page.waitForURL(`${base}/settings/delete`), page.click("a:has-text('Delete my account')")]);
  await page.waitForSelector("text=signatures on open petitions are withdrawn");
  await page.fill("#delete-password", password);
  await Promise.all([page.waitForURL(`${base}/settings/delete`), page.click("form[action='/settings/delete'] button")]);
  await page.waitForSelector("text=Your account will be deleted on");
  const french = await pageIn("fr-FR");
  await logIn(french, user);
  await french.goto(`${base}/settings/delete`);
  await french.waitForSelector("text=Votre compte sera supprimé le");
  await Promise.all([
    french.waitForURL(`${base}/settings/delete`),
    french.click("form[action='/settings/delete/cancel'] button"),
  ]);
  await french.waitForSelector("text=Supprimer mon compte");
  await french.waitForSelector("#delete-password");
});
