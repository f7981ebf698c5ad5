// The extension in Firefox ESR, as a tester uses it: record the settings
// page whose Save answers 403 (typing masked, the click, the console error,
// the refused request), share, and replay the link in Firefox; then a page
// whose CSP allows only its own scripts (Firefox runs the wasm recorder in
// the content script whatever the page's policy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodesOf } from '../e2e/harness.mjs';
import { testEnvironment, startRecording, stopAndShare, element, untilText, By } from './harness.mjs';

const env = testEnvironment();

const textsOf = (bundle) => bundle.events.flatMap((e) => nodesOf(e.nodes || e.adds).map((n) => n.text || ''));

test('Firefox: record, share and replay a page; typing masked, console and network captured', async () => {
  const { driver } = env.firefox;
  const { tabId } = await startRecording(env, '/settings.html');
  await driver.findElement(By.id('display-name')).sendKeys('Ada Lovelace');
  await driver.findElement(By.id('save')).click();
  await untilText(driver, /./);
  await driver.sleep(1000);
  const { href, bundle } = await stopAndShare(env.firefox, tabId);

  assert.equal(bundle.environment.browser, 'Firefox');
  assert.equal(bundle.environment.recorder_build, 'wasm');
  assert.ok(bundle.events.some((e) => e.type === 'snapshot'), 'a snapshot');
  assert.ok(bundle.events.some((e) => e.type === 'click' && e.label === 'Save changes'), 'the click, named');
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat('Ada Lovelace'.length)), 'typing masked');
  assert.ok(!JSON.stringify(bundle.events).includes('Ada Lovelace'), 'the typed name is in no page event');
  assert.ok(bundle.console.some((e) => e.level === 'error' && e.args[0] === 'Save failed with status 403'), 'the console error');
  assert.ok(bundle.network.some((e) => e.method === 'POST' && e.url.endsWith('/api/settings') && e.status === 403), 'the refused request');
  assert.ok(textsOf(bundle).includes('Profile settings'));
  // The page's own load, from its Resource Timing (before Start: the pre-roll).
  const document = bundle.network.find((e) => e.kind === 'resource' && e.url.endsWith('/settings.html'));
  assert.equal(document?.resource_type, 'main_frame', 'the document load');
  assert.equal(document.status, 200);
  assert.ok(document.before_start_ms > 0);

  // The share link replays in Firefox too.
  await driver.switchTo().newWindow('tab');
  await driver.get(href);
  await element(driver, '#steps li');
  await untilText(driver, /Clicked “Save changes”/);
  const frame = await driver.findElement(By.id('replay'));
  await driver.switchTo().frame(frame);
  await driver.wait(async () => (await driver.executeScript(() => document.body?.innerText ?? '')).includes('Profile settings'), 10000);
  await driver.switchTo().defaultContent();
});

test('Firefox: a page whose CSP allows only its own scripts is recorded', async () => {
  const { driver } = env.firefox;
  const { tabId } = await startRecording(env, '/strict.html');
  await driver.findElement(By.id('search')).sendKeys('shoes');
  await driver.findElement(By.id('go')).click();
  await untilText(driver, /Result under strict CSP/);
  await driver.sleep(1000);
  const { bundle } = await stopAndShare(env.firefox, tabId);
  const texts = textsOf(bundle);
  assert.ok(texts.includes('Strict CSP fixture'));
  assert.ok(texts.includes('Result under strict CSP'));
  assert.ok(bundle.console.some((e) => e.args[0] === 'strict page clicked'));
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*****'));
});
