// The pointer's path between clicks: recorded as the tester moved it
// (sampled a few times a second, in small batches, in the page's viewport
// also over a frame), and drawn over the replay where it was at each
// moment, with a ring just after a click.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, untilRecorded } from './harness.mjs';

const env = testEnvironment({});

/** Every recorded position: [t, x, y]. */
const positions = (bundle) => bundle.events.filter((e) => e.type === 'pointer')
  .flatMap((e) => e.path.map(([dt, x, y]) => [e.t + dt, x, y]));

test('the pointer path is recorded and the replay draws the pointer where it was, a ring after a click', async () => {
  const { page, tabId, popup } = await startRecording(env, '/states.html');
  await page.bringToFront();
  // Across the page, slowly enough to be sampled along the way.
  await page.mouse.move(20, 20);
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(20 + i * 30, 20 + i * 10);
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(300);
  const box = await page.locator('#go').boundingBox();
  await page.mouse.move(box.x + 5, box.y + 5, { steps: 5 });
  await page.mouse.click(box.x + 5, box.y + 5);
  await untilRecorded(env.browser.worker, tabId, (r) => r.events.some((e) => e.type === 'click'), 'the click');
  await page.waitForTimeout(600);
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();

  const path = positions(bundle);
  assert.ok(path.length >= 8, `the moves are sampled along the way: ${JSON.stringify(path)}`);
  assert.ok(path.some(([, x, y]) => x === 320 && y === 120), `the end of the first move is there: ${JSON.stringify(path)}`);
  const gaps = path.slice(1).map(([t], i) => t - path[i][0]);
  assert.ok(gaps.every((gap) => gap >= 50), `never more than 20 positions a second: ${gaps}`);
  const batches = bundle.events.filter((e) => e.type === 'pointer');
  assert.ok(batches.length < path.length, `positions are batched: ${batches.length} events for ${path.length} positions`);
  const times = bundle.events.map((e) => e.t);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'the recording stays in time order');

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('#go').waitFor();
  const at = (t) => viewer.evaluate((t) => {
    const timeline = document.getElementById('timeline');
    timeline.value = String(t);
    timeline.dispatchEvent(new Event('input'));
    const pointer = document.getElementById('pointer');
    const scale = document.getElementById('replay').getBoundingClientRect().width / document.getElementById('replay').offsetWidth;
    return { hidden: pointer.hidden, x: parseFloat(pointer.style.left) / scale, y: parseFloat(pointer.style.top) / scale, clicked: pointer.classList.contains('clicked') };
  }, t);
  const [t0, x0, y0] = path[2];
  const shown = await at(t0);
  assert.ok(!shown.hidden && Math.abs(shown.x - x0) < 1 && Math.abs(shown.y - y0) < 1, `the pointer where it was at ${t0}: ${JSON.stringify(shown)} vs ${x0},${y0}`);
  assert.equal(shown.clicked, false);
  const click = bundle.events.find((e) => e.type === 'click');
  const clicked = await at(click.t + 100);
  assert.ok(clicked.clicked && Math.abs(clicked.x - click.x) < 1 && Math.abs(clicked.y - click.y) < 1, `a ring where the click landed: ${JSON.stringify(clicked)}`);
  assert.equal((await at(click.t + 550)).clicked, false, 'the ring fades');
  assert.equal((await at(Math.max(0, path[0][0] - 1))).hidden, true, 'no pointer before it is known');
  await viewer.close();
});
