// In Firefox ESR, what matters most besides recording: planted secrets
// never reach the extension's storage or any byte the server stored (the
// same planted page and secrets as the Chromium test); a mark on an element
// (the form in its extension frame, the screenshot with fields blacked out);
// and a report made while the server is down, uploaded by itself once it is
// back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startReproServer, untilDown, storedBytes } from '../e2e/harness.mjs';
import { SECRETS, assertNoSecrets } from '../e2e/planted_secrets.mjs';
import {
  testEnvironment, startRecording, stopAndShare, extensionStorage, configure, element, untilText, BASE, By,
} from './harness.mjs';

const env = testEnvironment({ blockSelectors: '.tester-blocked' });

test('Firefox: planted secrets reach neither the extension storage nor the server', async () => {
  const { driver } = env.firefox;
  const { tabId } = await startRecording(env, '/privacy.html');
  const type = async (css, text) => driver.findElement(By.css(css)).sendKeys(text);
  await type('#password', SECRETS['typed password']);
  await type('#card', SECRETS['typed card number']);
  // Inside the shadow roots and the frames, as a tester types there.
  const openField = await driver.executeScript(() => document.querySelector('open-field').shadowRoot.getElementById('open-root-field'));
  await openField.sendKeys(SECRETS['typed in an open shadow root']);
  const closedField = await driver.executeScript(() => window.closedFieldRoot.getElementById('closed-root-field'));
  await closedField.sendKeys(SECRETS['typed in a closed shadow root']);
  await driver.switchTo().frame(await driver.findElement(By.id('same-origin-frame')));
  await type('#holder', SECRETS['typed in a same-origin frame']);
  await driver.switchTo().defaultContent();
  await driver.switchTo().frame(await driver.findElement(By.id('cross-origin-frame')));
  await type('#holder', SECRETS['typed in a frame of another origin']);
  await driver.switchTo().defaultContent();
  await driver.findElement(By.id('send')).click();
  await driver.sleep(2500);

  const { bundle } = await stopAndShare(env.firefox, tabId);
  assertNoSecrets('extension storage', JSON.stringify(await extensionStorage(env.firefox)));
  for (const channel of ['typed password', 'typed in an open shadow root', 'typed in a closed shadow root', 'typed in a same-origin frame', 'typed in a frame of another origin']) {
    assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat(SECRETS[channel].length)), `${channel}: recorded, masked`);
  }
  const text = JSON.stringify(bundle);
  assert.ok(text.includes('Closed root field'), 'the text of a closed shadow root is recorded');
  assert.ok(text.includes('Card holder'), 'the text of a same-origin frame is recorded');
  assertNoSecrets('the bundle', text);
  for (const { path, raw, text: bytes } of storedBytes(env.server.data)) {
    assertNoSecrets(path, bytes);
    assertNoSecrets(`${path} (raw)`, raw.toString('latin1'));
  }
});

test('Firefox: mark an element; the form saves the mark with its screenshot', async () => {
  const { driver } = env.firefox;
  const { handle, tabId } = await startRecording(env, '/marks.html');
  // The popup is in the control tab (startRecording left the page in front).
  await driver.switchTo().window(env.firefox.control);
  await driver.get(`${BASE}/popup.html?tab=${tabId}`);
  const mark = await element(driver, '#mark');
  await driver.wait(async () => mark.isDisplayed(), 10000);
  await mark.click();
  await driver.switchTo().window(handle);
  const price = await driver.findElement(By.css('.css-1x9abc'));
  await driver.executeScript((e) => e.scrollIntoView({ block: 'center' }), price);
  // The form is the extension's page in a frame, inside the overlay's
  // closed shadow root (WebDriver reaches closed roots).
  const formFrame = async () => {
    const [host] = await driver.findElements(By.css('repro-mark-overlay'));
    if (!host) return undefined;
    const [frame] = await (await host.getShadowRoot()).findElements(By.css('iframe'));
    return frame;
  };
  let form;
  for (let i = 0; i < 30 && !form; i++) {
    await driver.actions().move({ origin: price }).perform();
    await driver.sleep(100);
    await driver.actions().move({ origin: price }).click().perform();
    await driver.sleep(200);
    form = await formFrame();
  }
  assert.ok(form, 'the mark form opened beside the element');
  await driver.switchTo().frame(form);
  await (await element(driver, '#comment')).sendKeys('Price is wrong');
  await driver.findElement(By.xpath("//button[normalize-space()='Save mark']")).click();
  await driver.switchTo().defaultContent();
  await driver.wait(async () => (await formFrame()) === undefined, 10000);
  await driver.sleep(1500);
  const { bundle } = await stopAndShare(env.firefox, tabId);
  assert.equal(bundle.marks.length, 1);
  const [saved] = bundle.marks;
  assert.equal(saved.comment, 'Price is wrong');
  assert.ok(!saved.selector.includes('css-1x9abc'), `no generated class in ${saved.selector}`);
  const shot = bundle.screenshots[saved.screenshot];
  assert.ok(shot && shot.mime === 'image/png' && shot.width > 0, 'the screenshot is stored');
});

test('Firefox: a report made while the server is down uploads by itself once it is back', async () => {
  const { driver } = env.firefox;
  const later = await startReproServer();
  later.stop();
  await untilDown(later.url);
  await configure(env.firefox, later.url, later.token);
  const { tabId } = await startRecording(env, '/?server-down');
  await driver.findElement(By.id('name')).sendKeys('offline');
  await driver.switchTo().window(env.firefox.control);
  await driver.get(`${BASE}/popup.html?tab=${tabId}`);
  const stop = await element(driver, '#stop');
  await driver.wait(async () => stop.isDisplayed(), 10000);
  await stop.click();
  const share = await element(driver, '#share');
  await driver.wait(async () => share.isDisplayed(), 15000);
  await share.click();
  await untilText(driver, /Waiting for the server: could not reach the server/, 20000);
  const back = await startReproServer({ listen: new URL(later.url).host, data: later.data });
  try {
    const link = await element(driver, '#link[href]', 60000);
    const bundle = await (await fetch(`${await link.getAttribute('href')}/bundle.json`)).json();
    assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*******'));
  } finally {
    back.stop();
    await configure(env.firefox, env.server.url, env.server.token);
  }
});
