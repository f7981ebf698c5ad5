// A tester records a tab through the popup, stops, gets a share link; a
// developer opens it and sees the replay with console and network. The
// secret typed into the password field is in no byte the server stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import harValidator from 'har-validator';
import { testEnvironment, startRecording, stopAndShare, configure, tabIdOf, openPopup, fetchBundle, storedBytes, eventually, nodesOf, wasmMemoryBytes, arrayBufferBytes, untilRecorded, hasSnapshot } from './harness.mjs';

const SECRET = 'hunter2-Sup3rSecret';
const TYPED_NAME = 'Ada Lovelace';
const env = testEnvironment({});

/** Record `act` on `path` through the popup; returns the share link. */
async function record(path, act) {
  const { server, browser } = env;
  const { page, tabId, popup } = await startRecording(env, path);
  const badge = () => browser.worker.evaluate((tab) => chrome.action.getBadgeText({ tabId: tab }), tabId);
  assert.equal(await eventually(badge, (text) => text === 'REC'), 'REC', 'the toolbar badge shows the tab is recording');
  await page.bringToFront();
  await act(page, tabId);
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();
  await popup.getByRole('button', { name: 'Share report' }).click();
  const link = popup.locator('#link');
  await link.waitFor({ timeout: 20000 });
  const href = await link.getAttribute('href');
  assert.match(href, new RegExp(`^${server.url}/r/[0-9a-f]{32}$`));
  assert.equal(await badge(), '', 'the badge is cleared after stop');
  await popup.close();
  return { href, page };
}

test('record an open page across a navigation, share, replay; the password never reaches the server', async () => {
  const { site, server, browser } = env;
  const { href, page } = await record('/', async (p, tabId) => {
    await p.locator('#name').pressSequentially(TYPED_NAME);
    await p.locator('#password').pressSequentially(SECRET);
    await p.locator('#agree').check();
    await p.locator('#add').click();
    await p.getByText('Item added by the app').waitFor();
    await p.mouse.wheel(0, 600);
    // The scroll and the resize come as events of their own tasks.
    await untilRecorded(env.browser.worker, tabId, (r) => r.events.some((e) => e.type === 'scroll'), 'the scroll');
    await p.setViewportSize({ width: 900, height: 650 });
    await untilRecorded(env.browser.worker, tabId, (r) => r.events.some((e) => e.type === 'viewport'), 'the resize');
    await p.locator('#next').click();
    await p.waitForURL('**/second.html');
    await p.getByRole('heading', { name: 'Second fixture page' }).waitFor();
    // The second page's recorder has walked it.
    await untilRecorded(env.browser.worker, tabId, (r) => r.events.filter((e) => e.type === 'snapshot').length >= 2, "the second page's snapshot");
    await p.locator('#notes').pressSequentially('notes on page two');
  });
  await page.close();

  const bundle = await fetchBundle(href);
  assert.equal(bundle.pages.length, 2, 'a new snapshot after the full page load');
  assert.equal(bundle.environment.recorder_build, 'wasm');
  assert.equal(bundle.environment.browser, 'Chromium');
  assert.equal(bundle.environment.release, 'shop-1.4.2');
  assert.ok(bundle.environment.time_zone.length > 0 && bundle.environment.language.length > 0);
  const snapshots = bundle.events.filter((e) => e.type === 'snapshot');
  assert.equal(snapshots.length, 2);
  const css = nodesOf(snapshots[0].nodes).find((n) => n.tag === 'link');
  assert.ok(css.attrs.some(([name, value]) => name === 'data-repro-inlined-css' && value.includes('rgb(20, 90, 160)')),
    'same-origin stylesheet inlined');
  const inputs = bundle.events.filter((e) => e.type === 'input');
  assert.ok(inputs.some((e) => e.value === '*'.repeat(TYPED_NAME.length)), 'typed text is masked to the same length');
  assert.ok(inputs.some((e) => e.checked === true), 'checkbox state recorded');
  assert.ok(bundle.events.some((e) => e.type === 'mutation' && nodesOf(e.adds).some((n) => n.text === 'Item added by the app')));
  assert.ok(bundle.events.some((e) => e.type === 'scroll' && e.y > 0));
  assert.ok(bundle.events.some((e) => e.type === 'viewport' && e.size.w === 900));
  assert.ok(bundle.events.some((e) => e.type === 'click'));

  const consoleText = bundle.console.map((e) => `${e.level}:${e.source}:${e.args.join(' ')}`);
  for (const expected of ['info:console:item added', 'warn:console:stock is low', 'log:console:second page loaded']) {
    assert.ok(consoleText.includes(expected), `${expected} in ${consoleText.join(' | ')}`);
  }
  const checkout = bundle.console.find((e) => e.args[0] === 'checkout failed');
  assert.equal(checkout.level, 'error');
  assert.match(checkout.args[1], /payment declined/);
  assert.ok(bundle.console.some((e) => e.source === 'rejection' && /unhandled rejection in fixture/.test(e.args[0]) && e.stack));

  const net = (suffix) => bundle.network.find((e) => e.url.endsWith(suffix));
  assert.equal(net('/api/ok?page=1').status, 200);
  assert.equal(net('/api/ok?page=1').kind, 'fetch');
  assert.equal(net('/api/missing').status, 404);
  assert.equal(bundle.network.find((e) => e.kind === 'xhr').status, 200);
  assert.ok(net('/refused').error, 'a failed request is kept with its error');
  // Everything else the tab loaded comes from the page's own Resource Timing, once.
  const resource = (suffix) => bundle.network.find((e) => e.kind === 'resource' && e.url.endsWith(suffix));
  assert.equal(resource('/second.html').resource_type, 'main_frame');
  assert.equal(resource('/second.html').status, 200);
  assert.equal(resource('/second.html').page, 1);
  assert.ok(resource('/second.html').t > 0 && resource('/second.html').before_start_ms === undefined);
  assert.equal(resource('/second.js').resource_type, 'script');
  assert.equal(resource('/second.js').status, 200);
  assert.ok(resource('/second.js').duration_ms >= 0);
  // The first page's loads, before Start, are there as the pre-roll keeps them.
  const style = resource('/style.css');
  assert.equal(style.resource_type, 'stylesheet');
  assert.equal(style.status, 200);
  assert.equal(style.page, 0);
  assert.ok(style.t === 0 && style.before_start_ms > 0, `the stylesheet loaded before Start: ${JSON.stringify(style)}`);
  assert.equal(resource('/').resource_type, 'main_frame');
  assert.equal(bundle.network.filter((e) => e.kind === 'resource' && e.url.endsWith('/second.js')).length, 1, 'each load listed once');
  assert.equal(bundle.network.filter((e) => e.url.includes('/api/')).every((e) => e.kind !== 'resource'), true,
    'fetch and XHR are not listed twice');
  assert.ok(!bundle.network.some((e) => e.url.startsWith('chrome-extension:')), 'Repro\'s own files are not the page\'s requests');

  // The developer opens the link.
  const viewer = await browser.context.newPage();
  await viewer.goto(href);
  const frame = viewer.frameLocator('#replay');
  await frame.getByRole('heading', { name: 'Fixture shop' }).waitFor();
  assert.equal(await viewer.locator('#replay').getAttribute('sandbox'), 'allow-same-origin');
  await viewer.locator('#console').getByText('stock is low').waitFor();
  await viewer.locator('#network').getByText('/api/missing').first().click();
  await viewer.locator('#network-detail').getByText(/Status 404/).waitFor();
  assert.match(await viewer.locator('#network-detail').textContent(), /Response body \(\d+ characters or bytes, application\/json\)\n\{"error":"missing"\}/);
  // Filters and search narrow the lists.
  const visibleConsole = () => viewer.locator('#console .entry:not([hidden])').allTextContents();
  await viewer.getByLabel('Console level').selectOption('warn');
  assert.deepEqual((await visibleConsole()).map((t) => t.includes('stock is low')), [true]);
  await viewer.getByLabel('Console level').selectOption('');
  await viewer.getByLabel('Search console').fill('PAYMENT');
  assert.ok((await visibleConsole()).every((t) => /payment/i.test(t)) && (await visibleConsole()).length >= 1);
  await viewer.getByLabel('Network filter').selectOption('failed');
  const failedRows = await viewer.locator('#network .entry:not([hidden])').allTextContents();
  assert.ok(failedRows.some((t) => t.includes('/api/missing')) && failedRows.every((t) => !t.includes('/api/ok?page=1')));
  await viewer.getByLabel('Network filter').selectOption('');
  await viewer.getByLabel('Search network').fill('refused');
  assert.equal(await viewer.locator('#network .entry:not([hidden])').count(), 1);
  // Exports: HAR 1.2 that a HAR library accepts, and the console as text.
  const har = await (await fetch(`${href}/har`)).json();
  assert.ok(await harValidator.har(har), 'the HAR validates');
  assert.ok(har.log.entries.some((e) => e.request.url.endsWith('/api/missing') && e.response.status === 404));
  assert.equal(har.log.pages.length, 2);
  const consoleExport = await (await fetch(`${href}/console.txt`)).text();
  assert.match(consoleExport, /\] warn: stock is low\n/);
  assert.match(consoleExport, /error \(rejection\): Error: unhandled rejection in fixture/);
  const duration = Number(await viewer.locator('#timeline').getAttribute('max'));
  assert.ok(duration > 1000);
  await viewer.locator('#timeline').fill(String(duration));
  await frame.getByRole('heading', { name: 'Second fixture page' }).waitFor();
  await viewer.locator('#timeline').fill('0');
  await frame.getByRole('heading', { name: 'Fixture shop' }).waitFor();
  await viewer.locator('#console').getByText('checkout failed').click();
  await frame.getByText('Item added by the app').waitFor();
  assert.equal(await frame.locator('#name').inputValue(), '*'.repeat(TYPED_NAME.length), 'masked input replayed');
  assert.equal(await frame.locator('#password').inputValue(), '*'.repeat(SECRET.length));
  assert.equal(await frame.locator('#agree').isChecked(), true, 'checkbox state replayed');
  const namespaces = await frame.locator('#badge').evaluate((svg) => [svg, svg.querySelector('circle'), svg.querySelector('foreignObject'), svg.querySelector('#in-svg')].map((n) => n && `${n.localName} ${n.namespaceURI}`));
  assert.deepEqual(namespaces, [
    'svg http://www.w3.org/2000/svg', 'circle http://www.w3.org/2000/svg', 'foreignObject http://www.w3.org/2000/svg', 'p http://www.w3.org/1999/xhtml',
  ], 'SVG elements replay as SVG, with their names\' case, and HTML inside a foreignObject as HTML');
  const replayedH1Color = await frame.locator('h1').evaluate((h) => getComputedStyle(h).color);
  assert.equal(replayedH1Color, 'rgb(20, 90, 160)', 'the inlined stylesheet styles the replay');
  await viewer.close();

  // Not one byte the server stored holds the secret, compressed or not.
  const files = storedBytes(server.data);
  assert.ok(files.some((f) => f.path.endsWith('.json.gz')), 'the bundle blob is there to search');
  for (const { path, raw, text } of files) {
    for (const needle of [SECRET, TYPED_NAME]) {
      assert.ok(!text.includes(needle) && !raw.toString('latin1').includes(needle), `${needle} found in ${path}`);
    }
  }
});

test('record a page whose CSP forbids WebAssembly: the wasm2js recorder takes over, and is dropped at stop', async () => {
  const { site, server, browser } = env;
  let cdp;
  let recording;
  const buffers = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return arrayBufferBytes(cdp);
  };
  const { href, page } = await record('/strict.html', async (p) => {
    cdp = await browser.context.newCDPSession(p);
    recording = await buffers();
    await p.locator('#search').pressSequentially('shoes');
    await p.locator('#go').click();
    await p.getByText('Result under strict CSP').waitFor();
  });
  // The recorder's memory (320 KiB at least) is an ArrayBuffer of its own.
  const stopped = await eventually(buffers, (bytes) => recording - bytes >= 327680);
  assert.ok(recording - stopped >= 327680, `a stopped wasm2js recorder leaves its memory behind: ${recording} bytes of ArrayBuffers while recording, ${stopped} after`);
  await cdp.detach();
  await page.close();
  const bundle = await fetchBundle(href);
  assert.equal(bundle.environment.recorder_build, 'js');
  const texts = bundle.events.flatMap((e) => nodesOf(e.nodes || e.adds).map((n) => n.text || ''));
  assert.ok(texts.includes('Strict CSP fixture'));
  assert.ok(texts.includes('Result under strict CSP'));
  assert.ok(bundle.console.some((e) => e.args[0] === 'strict page clicked'));
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*****'));
});

test('Start again on the same page after a report: a second report of its own, with what the page did in between; a stopped recorder frees its memory', async () => {
  const { browser } = env;
  const first = await startRecording(env, '/?twice');
  await first.page.bringToFront();
  await first.page.locator('#name').pressSequentially('first take');
  const cdp = await browser.context.newCDPSession(first.page);
  const recorderMemory = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return wasmMemoryBytes(cdp);
  };
  assert.ok(await recorderMemory() > 0, 'the recording recorder has its wasm memory');
  const { bundle: one } = await stopAndShare(first.popup);
  await first.popup.close();
  assert.equal(await eventually(recorderMemory, (bytes) => bytes === 0), 0, 'a stopped recorder leaves no wasm memory behind');
  // Form values are masked by default: one star per character.
  const typed = (bundle) => bundle.events.filter((e) => e.type === 'input').map((e) => e.value.length);
  assert.equal(Math.max(...typed(one)), 'first take'.length);

  const { page } = first;
  await page.evaluate(() => console.info('between the two recordings'));
  const second = await startRecording(env, null, page);
  await page.bringToFront();
  await page.locator('#name').fill('');
  await page.locator('#name').pressSequentially('second take');
  assert.ok(await recorderMemory() > 0, 'a new instance records');
  const { bundle: two } = await stopAndShare(second.popup);
  await cdp.detach();
  assert.equal(two.pages.length, 1);
  assert.equal(two.events.filter((e) => e.type === 'snapshot').length, 1, 'one snapshot: the recorder started once');
  const snapshotName = nodesOf(two.events.find((e) => e.type === 'snapshot').nodes).find((n) => n.attrs?.some(([name, value]) => name === 'id' && value === 'name'));
  assert.ok(snapshotName, 'the second snapshot has the page');
  assert.deepEqual(typed(two), [0, ...Array.from('second take', (_, i) => i + 1)], 'the second take, nothing of the first');
  const between = two.console.filter((e) => e.args[0] === 'between the two recordings');
  assert.equal(between.length, 1, 'the pre-roll holds what the page logged between the two');
  assert.ok(between[0].before_start_ms > 0);
  await Promise.all([page.close(), second.popup.close()]);
});

test('pre-roll: the minute before Start is in the report, and can be turned off', async () => {
  const { site, server, browser } = env;
  for (const preRoll of [true, false]) {
    await configure(browser.context, browser.id, server.url, server.token, { preRoll, autoUpload: true });
    // (A window, not a wait for something: the pages loaded next must see the new setting.)
    await browser.worker.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/?pre-roll=${preRoll}`);
    await page.evaluate(() => { console.warn('before start', 'mail ada@example.com'); return fetch('/api/ok?early=1'); });
    // A stretch of page life before Start: what the pre-roll is for.
    await page.waitForTimeout(600);
    const tabId = await tabIdOf(browser.worker, page);
    const popup = await openPopup(browser.context, browser.id, tabId);
    await popup.getByRole('button', { name: 'Start recording' }).click();
    await popup.getByText('Recording this tab.').waitFor();
    // The pre-roll is handed over when the recorder is ready, before its snapshot is stored.
    await untilRecorded(browser.worker, tabId, hasSnapshot, 'the first snapshot');
    const { bundle } = await stopAndShare(popup, { review: false });
    const early = bundle.console.find((e) => e.args[0] === 'before start');
    const request = bundle.network.find((e) => e.url.endsWith('/api/ok?early=1'));
    if (preRoll) {
      assert.ok(early && early.before_start_ms > 0 && early.t === 0, JSON.stringify(early));
      assert.equal(early.args[1], 'mail ***************', 'pre-roll entries are masked like the rest');
      assert.ok(bundle.console.some((e) => e.args[0] === 'fixture loaded' && e.before_start_ms > 0));
      assert.ok(request && request.before_start_ms > 0 && request.status === 200);
      assert.equal(request.response_body?.text, undefined, 'an answered request before Start keeps no body');
    } else {
      assert.equal(early, undefined, 'nothing from before Start without pre-roll');
      assert.equal(request, undefined);
    }
    await Promise.all([page.close(), popup.close()]);
  }
});
