// The options page: what a tester types as soon as it opens is what gets
// saved (the saved settings load first, and the form waits for them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment } from './harness.mjs';

const env = testEnvironment({});

test('settings typed the moment the options page opens are the ones saved', async () => {
  const { browser, server } = env;
  for (const url of ['http://127.0.0.1:7001', 'http://127.0.0.1:7002']) {
    const options = await browser.context.newPage();
    // Not waiting for the page's script: a quick tester does not either.
    await options.goto(`chrome-extension://${browser.id}/options.html`, { waitUntil: 'commit' });
    await options.getByLabel('Server URL').fill(url);
    await options.getByLabel('Upload token').fill(server.token);
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByText('Saved.').waitFor();
    await options.close();
    const saved = await browser.worker.evaluate(async () => JSON.parse((await chrome.storage.local.get('config')).config ?? 'null'));
    assert.equal(saved?.server_url, url, 'what was typed is what was saved');
  }
});
