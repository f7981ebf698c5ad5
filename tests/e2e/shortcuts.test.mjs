// The extension's keyboard shortcuts: declared in the manifest with keys
// the browser assigns (the tester changes them at chrome://extensions/shortcuts),
// heard by the background, and doing what the popup's buttons do: start
// and stop recording the tab in front, and mark an element on it.
// (A browser-level shortcut cannot be pressed through the DevTools
// protocol, which types into the page: the test calls the same handler
// the background's listener calls, from an extension page.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, tabIdOf, untilRecorded, hasSnapshot } from './harness.mjs';

const env = testEnvironment({});

test('Start/Stop and Mark an element have keyboard shortcuts that do what the popup does', async () => {
  const { browser, site } = env;
  const commands = await browser.worker.evaluate(async () => ({
    all: await chrome.commands.getAll(),
    heard: chrome.commands.onCommand.hasListeners(),
  }));
  const shortcut = (name) => commands.all.find((c) => c.name === name)?.shortcut;
  assert.equal(shortcut('toggle-recording'), 'Alt+Shift+S', JSON.stringify(commands.all));
  assert.equal(shortcut('mark-element'), 'Alt+Shift+M', JSON.stringify(commands.all));
  assert.ok(commands.heard, 'the background listens for them');

  const page = await browser.context.newPage();
  await page.goto(`${site.url}/settings.html`);
  const tab = await tabIdOf(browser.worker, page);
  const handler = await browser.context.newPage();
  await handler.goto(`chrome-extension://${browser.id}/options.html`);
  const press = (command) => handler.evaluate(async ([command, id]) => {
    const ui = await import('./pkg/repro_extension_ui.js');
    await ui.default({ module_or_path: './pkg/repro_extension_ui_bg.wasm' });
    await ui.on_command(command, { id });
  }, [command, tab]);

  await page.bringToFront();
  await press('toggle-recording');
  await untilRecorded(browser.worker, tab, hasSnapshot, 'the first snapshot after the shortcut');
  assert.equal(await browser.worker.evaluate((tab) => chrome.action.getBadgeText({ tabId: tab }), tab), 'REC');
  await press('mark-element');
  await page.bringToFront();
  // (The picker's overlay covers the page: the pointer, not the element, is moved.)
  const box = await page.locator('#save').boundingBox();
  const form = await (async () => {
    for (let i = 0; i < 50; i++) {
      const frame = page.frames().find((f) => f.url().endsWith('/mark.html'));
      if (frame) return frame;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(150);
    }
    return null;
  })();
  assert.ok(form, 'the mark shortcut put the page in mark mode: a click opened the mark form');
  await press('toggle-recording');
  assert.notEqual(await browser.worker.evaluate((tab) => chrome.action.getBadgeText({ tabId: tab }), tab), 'REC', 'stopped');
  await Promise.all([page.close(), handler.close()]);
});
