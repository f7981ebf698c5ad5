// When the upload fails the popup says why in words and keeps the recording;
// once the tester fixes the settings, "Retry now" delivers it; an unreachable server is retried by itself. Only the
// recorded tab is recorded: another tab of the same site leaves no trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, startReproServer, configure, tabIdOf, openPopup, fetchBundle, extensionStorage, untilRecorded, untilDown } from './harness.mjs';

const env = testEnvironment();

test('errors in words, then retry; other tabs are not recorded', async () => {
  const { site, server, browser } = env;
  await configure(browser.context, browser.id, 'http://127.0.0.1:9', server.token);
  const recorded = await browser.context.newPage();
  await recorded.goto(site.url + '/');
  const other = await browser.context.newPage();
  await other.goto(site.url + '/?other-tab');
  const tabId = await tabIdOf(browser.worker, recorded);
  const popup = await openPopup(browser.context, browser.id, tabId);
  await popup.getByRole('button', { name: 'Start recording' }).click();
  await popup.getByText('Recording this tab.').waitFor();

  await recorded.bringToFront();
  await recorded.locator('#name').pressSequentially('only here');
  await other.bringToFront();
  await other.locator('#add').click();
  await other.getByText('Item added by the app').waitFor();
  await untilRecorded(browser.worker, tabId, (r) => r.events.some((e) => e.type === 'input' && e.value === '*'.repeat('only here'.length)), 'the typing');

  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByRole('button', { name: 'Share report' }).click();
  await popup.getByText(/Waiting for the server: could not reach the server at http:\/\/127\.0\.0\.1:9/).waitFor({ timeout: 15000 });
  assert.ok(await popup.getByRole('button', { name: 'Retry now' }).isVisible());

  await configure(browser.context, browser.id, server.url, 'repro_not-a-real-token');
  await popup.getByRole('button', { name: 'Retry now' }).click();
  await popup.getByText(/did not accept the upload token; check it in Options \(401/).waitFor({ timeout: 15000 });

  await configure(browser.context, browser.id, server.url, server.token);
  await popup.getByRole('button', { name: 'Retry now' }).click();
  const link = popup.locator('#link');
  await link.waitFor({ timeout: 15000 });
  const bundle = await fetchBundle(await link.getAttribute('href'));

  assert.equal(bundle.pages.length, 1);
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat('only here'.length)));
  const text = JSON.stringify(bundle);
  assert.ok(!text.includes('Item added by the app'), 'nothing from the other tab');
  assert.ok(!bundle.console.some((e) => e.args.includes('item added')), 'no console entry from the other tab');
  const leftovers = Object.keys(await extensionStorage(browser.worker));
  assert.ok(!leftovers.some((key) => key.startsWith('chunk:') || key.startsWith('finished:')),
    `local copies are deleted once the server has the report: ${leftovers}`);
});

test('a report made while the server is down uploads by itself once it is back', async () => {
  const { browser } = env;
  const later = await startReproServer();
  later.stop();
  await untilDown(later.url);
  await configure(browser.context, browser.id, later.url, later.token, { autoUpload: true });
  const { page, popup } = await startRecording(env, '/?server-down');
  await page.locator('#name').pressSequentially('offline');
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Waiting for the server: could not reach the server/).waitFor({ timeout: 15000 });
  const back = await startReproServer({ listen: new URL(later.url).host, data: later.data });
  try {
    const link = popup.locator('#link');
    await link.waitFor({ timeout: 30000 });
    const bundle = await fetchBundle(await link.getAttribute('href'));
    assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*******'));
  } finally {
    back.stop();
  }
});
