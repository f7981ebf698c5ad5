// A page logging 10,000 entries a second and issuing 500 requests keeps
// recording, stays responsive, and yields a bundle within the caps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, nodesOf, untilRecorded } from './harness.mjs';
import { traceTasks } from './trace.mjs';

const env = testEnvironment({ autoUpload: true });

test('10,000 logs a second and 500 requests', async () => {
  const { browser } = env;
  const { page, popup, tabId } = await startRecording(env, '/stress.html');
  await page.bringToFront();
  const before = await page.evaluate(() => window.longTasks.length);
  const tasks = await traceTasks(browser.context, page, async () => {
    await page.locator('#storm').click();
    await page.waitForFunction(() => window.stormDone === true, null, { timeout: 60000 });
    await page.locator('#after').click();
    // The recorder caught up with the storm: the click after it is stored.
    await untilRecorded(browser.worker, tabId, (r) => r.events.filter((e) => e.type === 'click').length >= 2, 'the click after the storm', 60000);
  });
  const longTasks = (await page.evaluate(() => window.longTasks)).slice(before);
  const { bundle } = await stopAndShare(popup, { review: false });

  const noise = bundle.console.filter((e) => e.args[0] === 'noise');
  assert.equal(noise.length, 5000, 'the per-page console limit holds');
  assert.ok(bundle.console.some((e) => e.source === 'repro' && e.args[0].includes('5000 console entries')), 'the cap says so');
  assert.equal(bundle.network.filter((e) => e.kind === 'fetch').length, 500, 'all 500 requests are there');
  assert.ok(bundle.events.some((e) => e.type === 'mutation' && nodesOf(e.adds).some((n) => n.text === 'after the storm')),
    'recording goes on after the storm');
  // The recorder's own work (its listeners, the hook's messages, the flush
  // timer, mutation callbacks) runs in tasks of the page's main thread: none
  // of it may take 100 ms. The page's own 500 synchronous fetch() calls make
  // one long task with or without Repro; it must never freeze for a second.
  const recorderMs = tasks.map((t) => t.extensionMs).sort((a, b) => b - a);
  console.log(`longest tasks (ms): ${JSON.stringify(longTasks)}; most recorder time in one task (ms): ${recorderMs.slice(0, 5).map((ms) => ms.toFixed(1))}`);
  assert.ok(tasks.length > 1000, `the trace saw the storm's tasks (${tasks.length})`);
  assert.ok(recorderMs[0] < 100, `no task spends 100 ms in the recorder: ${recorderMs[0]} ms`);
  assert.ok(longTasks.every((ms) => ms < 1000), `the page never freezes for a second: ${longTasks}`);
});
