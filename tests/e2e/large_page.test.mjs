// A large page is snapshotted in slices, none of which holds the main thread
// for 50 ms, while the page keeps changing everywhere; the replay at the end
// shows exactly what the page showed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, nodesOf, watchSnapshotStored } from './harness.mjs';
import { traceTasks } from './trace.mjs';

const env = testEnvironment({ autoUpload: true });

/** Every node under `selector`, as text: elements with class and data attributes, and texts. */
function describeTree(selector) {
  const root = document.querySelector(selector);
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === 1) out.push(`<${n.localName} ${n.className} ${n.dataset.k ?? ''} ${n.dataset.round ?? ''}>`);
    else out.push(n.data);
  }
  return out;
}

test('a large page changing in every task is walked in slices and replays exactly', async () => {
  const { browser } = env;
  const page = await browser.context.newPage();
  await page.goto(`${env.site.url}/churn.html`);
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  assert.ok(nodes > 15000, `the page is large (${nodes} elements, twice as many nodes)`);
  await page.evaluate(() => window.startChurn());
  let recording;
  const tasks = await traceTasks(browser.context, page, async () => {
    recording = await startRecording(env, null, page);
    // A window of recording while the page keeps changing (not a wait for anything).
    await page.waitForTimeout(3000);
  });
  await page.evaluate(() => window.stopChurn());
  const rounds = await page.evaluate(() => window.churnRounds);
  const live = await page.evaluate(describeTree, '#root');
  const { href, bundle } = await stopAndShare(recording.popup, { review: false });

  const [snapshot, ...more] = bundle.events.filter((e) => e.type === 'snapshot');
  assert.equal(more.length, 0);
  const recorderMs = tasks.map((t) => t.extensionMs).sort((a, b) => b - a);
  console.log(`snapshot walk ${snapshot.took_ms.toFixed(0)} ms, ${nodesOf(snapshot.nodes).length} nodes; ${rounds} rounds of changes; longest recorder tasks (ms): ${recorderMs.slice(0, 6).map((ms) => ms.toFixed(1))}`);
  assert.ok(snapshot.took_ms > 40, 'the walk is long enough to need slices');
  assert.ok(recorderMs[0] < 50, `no task spends 50 ms in the recorder: ${recorderMs[0]} ms`);
  assert.ok(recorderMs.filter((ms) => ms > 10).length >= 3, 'the walk ran in several tasks');
  assert.ok(rounds > 100, 'the page changed all along');

  const viewer = await browser.context.newPage();
  await viewer.goto(href);
  const frame = viewer.frameLocator('#replay');
  await frame.getByRole('heading', { name: 'Large page that keeps changing' }).waitFor();
  const duration = Number(await viewer.locator('#timeline').getAttribute('max'));
  await viewer.locator('#timeline').fill(String(duration));
  const replayFrame = viewer.frames().find((f) => f !== viewer.mainFrame());
  let replayed = [];
  for (let i = 0; i < 50; i++) {
    replayed = await replayFrame.evaluate(describeTree, '#root');
    if (replayed.length === live.length) break;
    await viewer.waitForTimeout(200);
  }
  const first = live.findIndex((line, i) => line !== replayed[i]);
  assert.equal(first, -1, `replay differs at line ${first}: live ${JSON.stringify(live.slice(first, first + 3))}, replayed ${JSON.stringify(replayed.slice(first, first + 3))}`);
  assert.equal(replayed.length, live.length);
});

test('a snapshot too long for one message is handed over in parts and stored whole', async () => {
  const { browser } = env;
  const page = await browser.context.newPage();
  await page.goto(`${env.site.url}/long-texts.html`);
  const turtles = '🐢'.repeat(250000);
  // The snapshot's chunk reaches storage while the page is recorded: in
  // parts, since it is longer than one (a chunk the background never took
  // would wait for the stop, which hands over everything unsent at once).
  const { ready, stored } = watchSnapshotStored(browser.worker);
  await ready;
  const recording = await startRecording(env, null, page);
  const units = await Promise.race([stored.then((s) => s.units), new Promise((resolve) => setTimeout(() => resolve(0), 15000))]);
  assert.ok(units > 2 * 524288, `the snapshot's chunk was stored while recording, ${units} UTF-16 units long`);
  const { bundle } = await stopAndShare(recording.popup, { review: false });
  const [snapshot] = bundle.events.filter((e) => e.type === 'snapshot');
  const texts = nodesOf(snapshot.nodes).filter((n) => n.k === 'text' && n.text.startsWith('🐢')).map((n) => n.text);
  assert.equal(texts.length, 3);
  for (const text of texts) assert.ok(text === turtles, `a text came back changed: ${text.length} units, ${[...text].filter((c) => c !== '🐢').length} other characters`);
});
