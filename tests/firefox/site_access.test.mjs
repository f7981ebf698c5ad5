// Firefox lets a user withdraw an add-on's access to sites. Then Repro
// cannot record there, and the popup says so, and how to allow it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, openTab, element, untilText, BASE } from './harness.mjs';

const env = testEnvironment();

test('Firefox: with its site access withdrawn, Start says how to allow it', async () => {
  const { driver, control } = env.firefox;
  await driver.switchTo().window(control);
  const withdraw = (done) => { browser.permissions.remove({ origins: ['<all_urls>'] }).then(done, (e) => done(String(e))); };
  // (This file's Firefox profile is its own: the other tests keep their access.)
  assert.equal(await driver.executeAsyncScript(withdraw), true);
  const { tabId } = await openTab(env.firefox, `${env.site.url}/settings.html`);
  await driver.get(`${BASE}/popup.html?tab=${tabId}`);
  const start = await element(driver, '#start');
  await driver.wait(async () => start.isDisplayed(), 10000);
  await start.click();
  const text = await untilText(driver, /This page cannot be recorded\./);
  assert.match(text, /about:addons → Repro → Permissions/);
  assert.match(text, /Not recording\./);
});
