// "Your data is yours" in Debian's chromium with JavaScript turned off: an archive asked for,
// followed while it builds and downloaded (in English); an account that lists an alias and moves
// to a new account that named it (in French); blocks and mutes added and lifted (in English); an
// initiative moved to another, its archive downloaded there and imported here, its old petition
// leading to the new one (in French); a deletion asked for with the password, shown with its date
// and cancelled (in English, then the French page). Run by crates/agora/tests/browser.rs, which
// starts the node and the accounts (the move's target already names the mover; the organizer
// has both initiatives, and an update and a petition in the old one).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { base, launch, logIn, pageIn as open, password } from "./support.mjs";

const user = process.env.AGORA_USER;
const mover = process.env.AGORA_MOVER;
const target = process.env.AGORA_MOVE_TARGET;
const organizer = process.env.AGORA_ORGANIZER;
const movingPetition = process.env.AGORA_MOVING_PETITION;

let browser;
const problems = [];

before(async () => {
  assert.ok(
    base && user && mover && target && organizer && movingPetition && password,
    "the node and accounts are required",
  );
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

test("blocks, mutes and a blocked server are added and lifted, without JavaScript", async () => {
  const page = await pageIn("en-GB");
  await logIn(page, user);
  const host = new URL(base).host;
  await page.goto(`${base}/settings`);
  await Promise.all([page.waitForURL(`${base}/settings/blocks`), page.click("a:has-text('Blocks and mutes')")]);
  const add = async (kind, who) => {
    await page.fill("#blocks-target", who);
    await page.check(`input[name=kind][value=${kind}]`);
    await Promise.all([page.waitForURL(`${base}/settings/blocks`), page.click("form[action='/settings/blocks'] button")]);
  };
  await add("block", `@${mover}@${host}`);
  await add("mute", `@${target}@${host}`);
  await add("domain_block", "spam.example");
  for (const shown of [`@${mover}@${host}`, `@${target}@${host}`, "spam.example"]) {
    await page.waitForSelector(`li:has-text('${shown}')`);
  }
  await Promise.all([
    page.waitForURL(`${base}/settings/blocks`),
    page.click(`li:has-text('@${mover}@${host}') button:has-text('Lift')`),
  ]);
  assert.equal(await page.locator(`li:has-text('@${mover}@${host}')`).count(), 0, "the block is lifted");
  await page.waitForSelector("li:has-text('spam.example')");
});

test("an initiative moves, its archive is downloaded and imported, in French", async () => {
  const page = await pageIn("fr-FR");
  await logIn(page, organizer);
  const host = new URL(base).host;
  // The new initiative names the old one.
  await page.goto(`${base}/initiatives/jardin_neuf`);
  await Promise.all([
    page.waitForURL(`${base}/initiatives/jardin_neuf/move`),
    page.click("a:has-text('Déménager cette initiative')"),
  ]);
  await page.fill("#move-aliases", `@jardin_ancien@${host}`);
  await Promise.all([
    page.waitForURL(`${base}/initiatives/jardin_neuf/move`),
    page.click("form[action='/initiatives/jardin_neuf/aliases'] button"),
  ]);
  // The old one moves, and its archive is asked for and downloaded.
  await page.goto(`${base}/initiatives/jardin_ancien/move`);
  await page.fill("#move-target", `@jardin_neuf@${host}`);
  await Promise.all([
    page.waitForURL(`${base}/initiatives/jardin_ancien/move`),
    page.click("form[action='/initiatives/jardin_ancien/move'] button"),
  ]);
  await page.waitForSelector("text=Cette initiative a déménagé");
  await Promise.all([
    page.waitForURL(`${base}/initiatives/jardin_ancien/move`),
    page.click("form[action='/initiatives/jardin_ancien/archive'] button"),
  ]);
  const link = page.locator("a:has-text('Télécharger')");
  await link.waitFor({ timeout: 30000 });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const archive = await download.path();
  // The new one imports it; the import page follows it to the end.
  await page.goto(`${base}/initiatives/jardin_neuf/move`);
  await page.setInputFiles("#move-archive", archive);
  await Promise.all([
    page.waitForURL(`${base}/settings/import`),
    page.click("form[action='/initiatives/jardin_neuf/import'] button"),
  ]);
  await page.waitForSelector("text=Terminé", { timeout: 30000 });
  assert.equal(await page.locator("text=lignes en échec").count(), 0, "nothing failed");
  // The old petition leads to the new one, which has its title.
  const reader = await pageIn("fr-FR");
  await reader.goto(`${base}${movingPetition}`);
  assert.notEqual(new URL(reader.url()).pathname, movingPetition, "redirected");
  await reader.waitForSelector("h1:has-text('Des bancs au jardin')");
  const update = await pageIn("fr-FR");
  await update.goto(`${base}/initiatives/jardin_neuf`);
  await update.waitForSelector("text=Assemblée jeudi.");
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
