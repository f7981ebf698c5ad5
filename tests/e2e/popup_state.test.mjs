// The popup says the state at a glance: while a tab records, how long it
// has (a clock that ticks while the popup is open); not recording, no clock.
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
  await Promise.all([popup.close(), page.close()]);
});
