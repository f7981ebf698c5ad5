// The popup says the state at a glance: while a tab records, how long it
// has (a clock that ticks while the popup is open); not recording, no clock;
// uploading, its progress as words and a bar; shared, the link to copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, tabIdOf, openPopup } from './harness.mjs';

const env = testEnvironment({});

test('the popup shows how long the tab has been recording, ticking', async () => {
  const idle = await env.browser.context.newPage();
  await idle.goto(`${env.site.url}/settings.html`);
  const idlePopup = await openPopup(env.browser.context, env.browser.id, await tabIdOf(env.browser.worker, idle));
  await idlePopup.getByText('Not recording.').waitFor();
  assert.equal(await idlePopup.locator('#elapsed').isVisible(), false, 'no clock when not recording');
  await Promise.all([idlePopup.close(), idle.close()]);

  const { page, popup } = await startRecording(env, '/settings.html');
  const clock = popup.locator('#elapsed');
  await clock.waitFor();
  const first = await clock.textContent();
  assert.match(first.trim(), /^0:0\d recorded$/, first);
  await popup.waitForFunction((before) => document.getElementById('elapsed').textContent !== before, first, { timeout: 3000 });
  const later = (await clock.textContent()).trim();
  assert.ok(later > first.trim(), `the clock ticks: ${first.trim()} then ${later}`);
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();
  assert.equal(await clock.isVisible(), false, 'stopped: no clock');

  // Uploading shows its progress as words and as a bar; shared, the link
  // and Copy link. (The report's state is set as the upload sets it.)
  const setState = (state) => env.browser.worker.evaluate(async (state) => {
    const all = await chrome.storage.local.get(null);
    const [key, text] = Object.entries(all).find(([k]) => k.startsWith('report:'));
    await chrome.storage.local.set({ [key]: JSON.stringify({ ...JSON.parse(text), state }) });
  }, state);
  const bar = popup.getByRole('progressbar', { name: 'Upload progress' });
  assert.equal(await bar.isVisible(), false, 'no bar while reviewing');
  await setState({ state: 'uploading', bytes: 2000, sent: 800 });
  await popup.getByText(/^Uploading 40 % of /).waitFor();
  await bar.waitFor();
  assert.equal(await bar.getAttribute('value'), '40');
  await setState({ state: 'done', link: 'http://127.0.0.1:9/r/abc' });
  await popup.getByRole('link', { name: 'http://127.0.0.1:9/r/abc' }).waitFor();
  assert.ok(await popup.getByRole('button', { name: 'Copy link' }).isVisible());
  assert.equal(await bar.isVisible(), false, 'no bar once shared');
  await Promise.all([popup.close(), page.close()]);
});
