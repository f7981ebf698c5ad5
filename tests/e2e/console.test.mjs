// Every console method and awkward argument is captured safely; CSP
// violations and failed resource loads show up as errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, configure, tabIdOf, openPopup, fetchBundle, untilRecorded } from './harness.mjs';

const env = testEnvironment({ autoUpload: true });

test('console methods, previews, CSP violations and failed loads', async () => {
  const { site, server, browser } = env;
  const { page, tabId, popup } = await startRecording(env, '/console.html');
  await page.bringToFront();
  // The companion server sends no CORS headers: a cross-origin fetch to it fails like CORS does.
  await page.evaluate((url) => { window.CROSS_ORIGIN = url; }, `${server.url}/healthz`);
  await page.locator('#go').click();
  // The page's last answers (the socket's close, the failed cross-origin fetch) reach the recorder.
  await untilRecorded(browser.worker, tabId, (r) => r.network.some((e) => e.kind === 'websocket' && e.method === 'CLOSE')
    && r.network.some((e) => e.url === `${server.url}/healthz`), "the page's last requests");
  const { bundle } = await stopAndShare(popup, { review: false });
  const find = (first) => bundle.console.find((e) => e.args[0] === first || e.args[0]?.startsWith(first));

  assert.equal(JSON.parse(find('cycle').args[1]).self, '[circular]');
  assert.deepEqual(JSON.parse(find('getter').args[1]), { ok: 1, boom: '[getter threw]' });
  assert.equal(find('node').args[1], '<button#go>');
  const huge = find('huge').args[1];
  assert.ok(huge.length < 11000 && huge.endsWith('… [truncated by Repro]'), `capped at ${huge.length}`);
  assert.equal(find('debugging').level, 'debug');
  assert.deepEqual(JSON.parse(find('[{').args[0]), [{ a: 1 }, { a: 2 }]);
  assert.equal(JSON.parse(find('{"deep"').args[0]).deep.deeper.deepest, '{…}', 'depth is capped');
  const failedAssert = find('Assertion failed:');
  assert.deepEqual([failedAssert.level, failedAssert.args[1]], ['error', 'math is broken']);
  assert.ok(!bundle.console.some((e) => e.args.includes('never shown')));
  assert.ok(find('clicks: 2'), 'count');
  assert.match(find('work:').args[0], /^work: \d+\.\d{3} ms$/);
  assert.ok(find('tracing').stack.includes('console.js'), 'trace has a stack');
  const csp = bundle.console.find((e) => e.source === 'csp');
  assert.ok(csp && csp.args[0].includes('127.0.0.1:9/blocked.png') && csp.args[0].includes('img-src'), JSON.stringify(csp));
  const failedLoad = bundle.console.find((e) => e.source === 'resource' && e.args[0].includes('/missing.png'));
  assert.equal(failedLoad.level, 'error');
  assert.equal(failedLoad.args[0], `Failed to load <img> ${site.url}/missing.png`);
  const hooked = (suffix, kind) => bundle.network.find((e) => e.kind === kind && e.url.endsWith(suffix));
  assert.equal(hooked('/api/error', 'fetch').status, 500);
  assert.equal(hooked('/api/slow', 'fetch').error, 'aborted');
  assert.equal(hooked('/api/slow', 'xhr').error, 'aborted');
  const cors = bundle.network.find((e) => e.url === `${server.url}/healthz` && e.kind === 'fetch');
  assert.ok(cors && cors.status === undefined && /Failed to fetch/.test(cors.error), `a CORS failure: ${JSON.stringify(cors)}`);
  const missingImage = bundle.network.find((e) => e.kind === 'resource' && e.url.endsWith('/missing.png'));
  assert.deepEqual([missingImage.resource_type, missingImage.status], ['image', 404]);
  const beacon = bundle.network.find((e) => e.kind === 'beacon');
  assert.deepEqual([beacon.method, beacon.url, beacon.request_body.text], ['POST', `${site.url}/api/beacon`, 'event=clicked']);
  const socket = bundle.network.filter((e) => e.kind === 'websocket').map((e) => e.method);
  assert.deepEqual(socket, ['OPEN', 'SEND', 'RECEIVE', 'CLOSE']);
  const received = bundle.network.find((e) => e.kind === 'websocket' && e.method === 'RECEIVE');
  assert.equal(received.response_body.text, 'echo: hello socket');
});

test("a frame of the page's own origin: its console and requests join the report, as they happen", async () => {
  const { browser } = env;
  const { page, tabId, popup } = await startRecording(env, '/iframe-host.html');
  await page.bringToFront();
  const payment = page.frames().find((f) => f.url().endsWith('/frame.html'));
  await payment.evaluate(() => {
    console.warn('payment frame says hello');
    return fetch('/api/ok?from=payment-frame');
  });
  // A frame added while recording is heard too.
  await page.locator('#add-frame').click();
  await page.waitForFunction(() => document.getElementById('added')?.contentDocument?.readyState === 'complete');
  const added = page.frames().find((f) => f.url().endsWith('/second.html'));
  await added.evaluate(() => console.error('added frame failed', { code: 7 }));
  await untilRecorded(browser.worker, tabId, (r) => r.console.some((e) => e.args[0] === 'added frame failed')
    && r.network.some((e) => e.url.endsWith('/api/ok?from=payment-frame')), "the frames' console and request");
  // A frame that navigates is heard in its new document too (its window
  // object stays, the listeners on its old document do not; the new
  // document's hook holds what it hears until the recorder listens).
  await payment.evaluate(() => { location.href = '/console.html?navigated=1'; });
  await page.waitForFunction(() => document.getElementById('payment').contentDocument?.URL.endsWith('navigated=1')
    && document.getElementById('payment').contentDocument.readyState === 'complete');
  const navigated = page.frames().find((f) => f.url().endsWith('/console.html?navigated=1'));
  await navigated.evaluate(() => console.warn('heard after the frame navigated'));
  await untilRecorded(browser.worker, tabId, (r) => r.console.some((e) => e.args[0] === 'heard after the frame navigated'), 'the navigated frame\'s console');
  const { bundle } = await stopAndShare(popup, { review: false });
  const hello = bundle.console.find((e) => e.args[0] === 'payment frame says hello');
  assert.equal(hello?.level, 'warn', JSON.stringify(bundle.console));
  const failed = bundle.console.find((e) => e.args[0] === 'added frame failed');
  assert.deepEqual([failed.level, JSON.parse(failed.args[1])], ['error', { code: 7 }]);
  const request = bundle.network.find((e) => e.kind === 'fetch' && e.url.endsWith('/api/ok?from=payment-frame'));
  assert.equal(request?.status, 200, JSON.stringify(bundle.network.map((e) => e.url)));
  assert.equal(bundle.console.filter((e) => e.args[0] === 'payment frame says hello').length, 1, 'heard once');
  // The added frame's loads: its document from the page's timeline, its
  // script from the frame's own; each once.
  const loads = (suffix) => bundle.network.filter((e) => e.kind === 'resource' && e.url.endsWith(suffix));
  assert.deepEqual(loads('/second.html').map((e) => [e.resource_type, e.status]), [['sub_frame', 200]], JSON.stringify(bundle.network));
  assert.deepEqual(loads('/second.js').map((e) => [e.resource_type, e.status]), [['script', 200]], JSON.stringify(bundle.network));
  assert.ok(loads('/second.js')[0].t > 0, 'loaded after Start');
  // The navigated frame's own loads, from its new document's timeline.
  assert.equal(loads('/console.js').length, 1, JSON.stringify(bundle.network.map((e) => e.url)));
});
