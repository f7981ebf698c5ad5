// The Firefox side of the browser tests: Debian's Firefox ESR, headless,
// driven through WebDriver (geckodriver, selenium-webdriver), with the built
// `dist/firefox/` installed as a temporary add-on. Playwright cannot load
// extensions into Firefox; WebDriver can.
//
// One window holds a "control" tab on the extension's own pages (the options,
// then the popup as `popup.html?tab=ID`, where the extension APIs answer the
// tab ids); the recorded pages open in tabs beside it.
import { before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Builder, By, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { ROOT, startFixtureSite, startReproServer, fetchBundle } from '../e2e/harness.mjs';

export { By, until };

/** The add-on's fixed internal UUID (else random per install), so its pages have a known address. */
const UUID = '6d1f0c8e-2b4a-4c3e-9f7a-5a8b9c0d1e2f';
/** The add-on id, as `extension/manifests/firefox.json` declares it. */
const ADDON_ID = 'repro@repro.dev';
export const BASE = `moz-extension://${UUID}`;

function geckodriver() {
  const installed = join(homedir(), '.cargo', 'bin', 'geckodriver');
  if (existsSync(installed)) return installed;
  return execFileSync('sh', ['-c', 'command -v geckodriver'], { encoding: 'utf8' }).trim();
}

/** Firefox ESR with the built extension; `{ driver, control }` (the control tab's handle). */
export async function launchFirefox({ extension = join(ROOT, 'dist', 'firefox') } = {}) {
  const options = new firefox.Options()
    .addArguments('-headless', '-width=1000', '-height=760')
    .setBinary('/usr/bin/firefox-esr')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [ADDON_ID]: UUID }))
    .setPreference('browser.shell.checkDefaultBrowser', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false);
  // The extension pages are reachable only with system access.
  const service = new firefox.ServiceBuilder(geckodriver()).addArguments('--allow-system-access');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  await driver.installAddon(extension, true);
  return { driver, control: await driver.getWindowHandle() };
}

/** Wait for the element `css` of the current tab and return it. */
export async function element(driver, css, ms = 10000) {
  return driver.wait(until.elementLocated(By.css(css)), ms);
}

/** Wait until the current tab's text matches `pattern`; returns the text. */
export async function untilText(driver, pattern, ms = 15000) {
  let text = '';
  await driver.wait(async () => {
    text = await driver.executeScript(() => document.body?.innerText ?? '');
    return pattern.test(text);
  }, ms).catch(() => {
    throw new Error(`the page never said ${pattern}; it says:\n${text}`);
  });
  return text;
}

/** Fill and save the options in the control tab; `extra.blockSelectors` as in the Chromium tests. */
export async function configure({ driver, control }, serverUrl, token, extra = {}) {
  await driver.switchTo().window(control);
  await driver.get(`${BASE}/options.html`);
  const server = await element(driver, '#server');
  await driver.wait(until.elementIsEnabled(server), 10000);
  await server.clear();
  await server.sendKeys(serverUrl);
  const tokenField = await driver.findElement(By.id('token'));
  await tokenField.clear();
  await tokenField.sendKeys(token);
  if (extra.blockSelectors) await driver.findElement(By.id('block-selectors')).sendKeys(extra.blockSelectors);
  await driver.findElement(By.xpath("//button[normalize-space()='Save']")).click();
  await untilText(driver, /Saved\./);
}

/** Open `url` in a new tab; its window handle and its tab id (asked of the extension in the control tab). */
export async function openTab({ driver, control }, url) {
  await driver.switchTo().newWindow('tab');
  await driver.get(url);
  const handle = await driver.getWindowHandle();
  await driver.switchTo().window(control);
  if (!(await driver.getCurrentUrl()).startsWith(BASE)) await driver.get(`${BASE}/options.html`);
  // (Firefox's match patterns take no port: every tab, compared here.)
  const tabs = await driver.executeAsyncScript((wanted, done) => {
    browser.tabs.query({}).then((found) => done(found.filter((t) => t.url === wanted).map((t) => t.id)), (e) => done(String(e)));
  }, url);
  if (!Array.isArray(tabs) || tabs.length !== 1) throw new Error(`tabs showing ${url}: ${JSON.stringify(tabs)}`);
  return { handle, tabId: tabs[0] };
}

/** Everything the extension keeps: its `storage.local` and the chunks in its IndexedDB, as `{ key: text }`. */
export async function extensionStorage({ driver, control }) {
  await driver.switchTo().window(control);
  return driver.executeAsyncScript((done) => {
    (async () => {
      const all = await browser.storage.local.get(null);
      const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      const db = await request(indexedDB.open('repro'));
      if (db.objectStoreNames.contains('chunks')) {
        const chunks = db.transaction('chunks').objectStore('chunks');
        const [keys, texts] = await Promise.all([request(chunks.getAllKeys()), request(chunks.getAll())]);
        keys.forEach((key, i) => { all[key] = texts[i]; });
      }
      db.close();
      return all;
    })().then(done, (e) => done({ error: String(e) }));
  });
}

/**
 * Open `path` of the fixture site and start recording it from the popup in
 * the control tab; returns once the first snapshot is stored.
 */
export async function startRecording(env, path) {
  const { driver, control } = env.firefox;
  const { handle, tabId } = await openTab(env.firefox, env.site.url + path);
  await driver.get(`${BASE}/popup.html?tab=${tabId}`);
  const start = await element(driver, '#start');
  await driver.wait(until.elementIsVisible(start), 10000);
  await start.click();
  await untilText(driver, /Recording this tab\.[\s\S]*recorded/);
  await driver.wait(async () => {
    const all = await extensionStorage(env.firefox);
    const session = all[`session:${tabId}`];
    const id = session && JSON.parse(session).id;
    return Object.entries(all).some(([key, text]) => id && key.startsWith(`chunk:${id}:`) && text.includes('"type":"snapshot"'));
  }, 15000).catch(() => { throw new Error('the first snapshot was not stored'); });
  await driver.switchTo().window(control);
  await driver.get(`${BASE}/popup.html?tab=${tabId}`);
  await untilText(driver, /Recording this tab\./);
  await driver.switchTo().window(handle);
  return { handle, tabId };
}

/** Stop from the popup in the control tab, share, and return the link and the stored bundle. */
export async function stopAndShare({ driver, control }, tabId) {
  await driver.switchTo().window(control);
  await driver.get(`${BASE}/popup.html?tab=${tabId}`);
  const stop = await element(driver, '#stop');
  await driver.wait(until.elementIsVisible(stop), 10000);
  await stop.click();
  const share = await element(driver, '#share');
  await driver.wait(until.elementIsVisible(share), 15000);
  await share.click();
  const link = await element(driver, '#link[href]', 20000);
  const href = await link.getAttribute('href');
  return { href, bundle: await fetchBundle(href) };
}

/** The fixture site, a repro-server and Firefox with the extension, configured, for one test file. */
export function testEnvironment(settings = {}) {
  const env = {};
  before(async () => {
    env.site = await startFixtureSite();
    env.server = await startReproServer();
    env.firefox = await launchFirefox();
    await configure(env.firefox, env.server.url, env.server.token, settings);
  });
  after(async () => {
    await env.firefox?.driver.quit();
    env.server?.stop();
    env.site?.close();
  });
  return env;
}
