// Secrets planted in every channel Repro reads never leave the recorder:
// not in the extension's storage, not in any byte the server stored. The
// ordinary text around them is still there, and the tester can leave entries
// out before sharing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECRETS, assertNoSecrets } from './planted_secrets.mjs';
import { testEnvironment, startRecording, stopAndShare, configure, tabIdOf, openPopup, fetchBundle, storedBytes, nodesOf, extensionStorage, untilRecorded } from './harness.mjs';

const env = testEnvironment();


test('planted secrets reach neither extension storage nor the server; the page text around them stays', async () => {
  const { site, server, browser } = env;
  await configure(browser.context, browser.id, server.url, server.token, { blockSelectors: '.tester-blocked' });
  const { page, tabId, popup } = await startRecording(env, '/privacy.html');

  await page.bringToFront();
  await page.locator('#password').pressSequentially(SECRETS['typed password']);
  await page.locator('#card').pressSequentially(SECRETS['typed card number']);
  await page.locator('#cvc').pressSequentially('987');
  await page.locator('#notes').fill('');
  await page.locator('#notes').pressSequentially(SECRETS['textarea edited after load']);
  await page.locator('#editor').click();
  await page.keyboard.type(` ${SECRETS.contenteditable}`);
  await page.locator('#open-root-field').pressSequentially(SECRETS['typed in an open shadow root']);
  await page.evaluate(() => window.closedFieldRoot.getElementById('closed-root-field').focus());
  await page.keyboard.type(SECRETS['typed in a closed shadow root']);
  await page.frameLocator('#same-origin-frame').locator('#holder').pressSequentially(SECRETS['typed in a same-origin frame']);
  await page.frameLocator('#cross-origin-frame').locator('#holder').pressSequentially(SECRETS['typed in a frame of another origin']);
  await page.frameLocator('#editor-frame').locator('body').click();
  await page.keyboard.type(` ${SECRETS['typed in an editor frame in design mode']}`);
  await page.locator('#send').click();
  await page.evaluate(() => document.getElementById('cross-logger').contentWindow.postMessage('log', '*'));
  // What frames of another origin did reaches the page's recorder through the background.
  await untilRecorded(browser.worker, tabId, (r) => r.console.some((e) => e.args.some((a) => a.startsWith('frame key ')))
    && r.network.some((e) => (e.request_body?.text ?? '').includes('"user":"grace"'))
    && r.events.some((e) => e.type === 'input' && e.value === '*'.repeat(SECRETS['typed in a frame of another origin'].length)),
  "the frames' console, request and typing");

  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();
  const stored = JSON.stringify(await extensionStorage(browser.worker));
  assert.ok(stored.includes('chunk:'), 'the recording waits in extension storage');
  const local = await browser.worker.evaluate(async () => Object.keys(await chrome.storage.local.get(null)));
  assert.ok(!local.some((key) => key.startsWith('chunk:')), 'its chunks are in IndexedDB, not in chrome.storage.local');
  assertNoSecrets('extension storage', stored);

  // The tester leaves one console entry out on the review page, then shares.
  const review = await browser.context.newPage();
  await review.goto(`chrome-extension://${browser.id}/review.html?tab=${tabId}`);
  const before = await review.locator('#summary').textContent();
  const entry = review.locator('#console-list li', { hasText: 'signed in as' });
  await entry.getByRole('checkbox').uncheck();
  await review.waitForFunction((text) => document.querySelector('#summary').textContent !== text, before);
  await review.getByRole('button', { name: 'Share report' }).click();
  const link = review.locator('#link[href]');
  await link.waitFor({ timeout: 20000 });
  const href = await link.getAttribute('href');
  const bundle = await fetchBundle(href);

  const text = JSON.stringify(bundle);
  for (const kept of ['Account settings', 'Order summary: 3 items, total 42.00 EUR.', 'Primary contact:', 'sent the form', '/api/ok']) {
    assert.ok(text.includes(kept), `ordinary text "${kept}" is still there`);
  }
  assert.ok(!text.includes('signed in as'), 'the entry left out in review is not shared');
  assert.equal(bundle.mask_policy.name, 'default + tester rules');
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '***'), 'CVC stays masked despite data-repro-unmask');
  // The channels are captured (masked), not missed.
  for (const channel of ['typed in an open shadow root', 'typed in a closed shadow root', 'typed in a same-origin frame', 'typed in a frame of another origin']) {
    assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat(SECRETS[channel].length)), `${channel}: recorded, masked`);
  }
  assert.ok(text.includes('Closed root field'), 'the text of a closed shadow root is recorded');
  assert.ok(text.includes('Card holder'), 'the text of a same-origin frame is recorded');
  assert.ok(bundle.console.some((e) => e.args.some((a) => a.startsWith('frame key '))), "the frame's console entry is recorded, masked");
  assert.ok(bundle.network.some((e) => e.url.startsWith('http://localhost:') && (e.request_body?.text ?? '').includes('"user":"grace"')),
    "the frame's request is recorded, its password masked");
  const crossMasked = `Cardholder on file: ${SECRETS['text in a frame of another origin under a masked element']}`.replace(/\S/g, '*');
  assert.ok(text.includes(crossMasked), 'the text of a frame of another origin under a masked element is recorded, masked');
  const editorLength = 'Editor text'.length + 1 + SECRETS['typed in an editor frame in design mode'].length;
  assert.ok(bundle.events.some((e) => e.type === 'mutation' && (e.texts ?? []).some((c) => c.text.length === editorLength && /^[* ]+$/.test(c.text))),
    'typing in the editor frame is recorded, masked');
  assert.ok(bundle.events.some((e) => e.type === 'navigation' && e.url.endsWith('/privacy.html?access_token=[masked]&step=2')),
    'the address a script pushed is recorded, its token masked');
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat(SECRETS['value set from script'].length)), 'the value set from script is recorded, masked');
  const rules = bundle.events.filter((e) => e.type === 'mutation').flatMap((e) => e.attrs ?? [])
    .filter((a) => a.name === 'data-repro-inlined-css' && a.value?.includes('.signed-in::after'));
  assert.ok(rules.length > 0, 'the rule a script inserted is recorded');
  const blocked = nodesOf(bundle.events[0].nodes).filter((n) => n.attrs?.some(([name]) => name === 'data-repro-blocked'));
  assert.equal(blocked.length, 3, 'site and tester blocks become placeholders');
  // The picture's load, from the page's Resource Timing: listed, its token masked.
  const picture = bundle.network.find((e) => e.kind === 'resource' && e.url.includes('/shown-image.png?'));
  assert.ok(picture?.url.endsWith('/shown-image.png?access_token=[masked]&size=2'), JSON.stringify(picture));
  const login = bundle.network.find((e) => e.url.includes('access_token=[masked]&page=2'));
  assert.ok(login, 'the token in the URL is masked, the rest of the URL kept');
  const header = (name) => login.request_headers.find(([n]) => n === name)?.[1];
  assert.equal(header('authorization'), '[masked by Repro]', 'the Authorization header is kept by name only');
  assert.equal(header('content-type'), 'application/json');
  const sentJson = JSON.parse(login.request_body.text);
  assert.deepEqual(sentJson, { user: 'grace', password: '[masked by Repro]' });
  assert.equal(JSON.parse(login.response_body.text).ok, true, 'the response body is captured');
  const profile = bundle.network.find((e) => e.url.endsWith('/api/profile'));
  assert.deepEqual(JSON.parse(profile.response_body.text),
    { user: 'grace', password: '[masked by Repro]', nested: { access_token: '[masked by Repro]' } });
  const long = bundle.network.find((e) => e.url.endsWith('?long=1'));
  assert.ok(long.request_body.truncated && long.request_body.text.startsWith('{"password":"[masked by Repro]","rows":"xxx'),
    'a JSON body cut at the size limit still loses its secret fields');
  const deep = bundle.network.find((e) => e.url.endsWith('?deep=1'));
  assert.ok(deep.request_body.text.endsWith('{"password":"[masked by Repro]"}' + '}'.repeat(200)),
    'so does one nested deeper than a JSON parser reads');
  const xml = bundle.network.find((e) => e.url.endsWith('?xml=1'));
  assert.equal(xml.request_body.text,
    '<login><user>grace</user><wsse:Password>[masked by Repro]</wsse:Password><key kind="api" secret="[masked by Repro]"/></login>',
    'an XML body loses its secret elements and attributes, the rest kept');
  const form = bundle.network.find((e) => e.kind === 'xhr');
  assert.equal(form.request_body.text, 'user=grace&password=[masked by Repro]');

  // An image in a masked region is recorded without its address, and not stored.
  assert.ok(!bundle.assets.some((a) => a.url.includes('masked-image-Nw3')), 'the masked image is not among the assets');
  assert.ok(!JSON.stringify(bundle.events).includes('masked-image-Nw3'), 'nor is its address in the recording');
  const snapshotNodes = nodesOf(bundle.events[0].nodes);
  const canvasId = (name) => snapshotNodes.find((n) => n.attrs?.some(([k, v]) => k === 'id' && v === name))?.id;
  const pixelIds = new Set(bundle.events.filter((e) => e.type === 'pixels').map((e) => e.id));
  assert.ok(pixelIds.has(canvasId('shown-canvas')), 'the shown canvas gives its pixels');
  assert.ok(canvasId('masked-canvas') && !pixelIds.has(canvasId('masked-canvas')), 'the canvas in a masked region gives none');
  assert.equal(canvasId('blocked-canvas'), undefined, 'the canvas in a blocked region is not recorded');
  // The page's other images are stored with the report (this search would find them).
  assert.ok(storedBytes(server.data).some(({ raw }) => raw.toString('latin1').includes('Shown-Image-Bytes-Pd2')),
    'an image outside masked regions is stored with the report');
  for (const { path, raw, text: bytes } of storedBytes(server.data)) {
    assertNoSecrets(path, bytes);
    assertNoSecrets(`${path} (raw)`, raw.toString('latin1'));
  }
  const leftovers = JSON.stringify(await extensionStorage(browser.worker));
  assertNoSecrets('extension storage after sharing', leftovers);

  // Every export of the report, and every MCP answer about it, is as masked as the bundle.
  for (const route of ['issue.md', 'prompt.md', 'playwright.spec.ts', 'har', 'console.txt']) {
    const response = await fetch(`${href}/${route}`);
    assert.equal(response.status, 200, route);
    assertNoSecrets(`/r/{id}/${route}`, await response.text());
  }
  const mcp = async (name, args) => {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: { id: href, ...args } } }),
    });
    const answer = await response.json();
    assert.ok(answer.result && !answer.result.isError, `${name}: ${JSON.stringify(answer).slice(0, 300)}`);
    return JSON.stringify(answer);
  };
  for (const [name, args] of [['get_report', {}], ['get_console', { limit: 200 }], ['get_network', { limit: 200 }], ['get_marks', {}],
    ['get_dom_at', { time: bundle.duration_ms / 1000 }], ['get_dom_at', { time: 0 }], ['get_har', {}], ['get_issue', {}], ['get_playwright_test', {}]]) {
    assertNoSecrets(`MCP ${name} ${JSON.stringify(args)}`, await mcp(name, args));
  }
});

test('a site on the never-record list cannot be recorded', async () => {
  const { site, server, browser } = env;
  await configure(browser.context, browser.id, server.url, server.token, { skipSites: [`${site.url}/strict*`] });
  const page = await browser.context.newPage();
  await page.goto(site.url + '/strict.html');
  const tabId = await tabIdOf(browser.worker, page);
  const popup = await openPopup(browser.context, browser.id, tabId);
  await popup.getByRole('button', { name: 'Start recording' }).click();
  await popup.getByText('This site is on your never-record list').waitFor();
  await popup.getByText('Not recording.').waitFor();
});

test('"Mask all text" records every text of the page as stars, layout kept', async () => {
  const { site, server, browser } = env;
  await configure(browser.context, browser.id, server.url, server.token, { maskAllText: true, autoUpload: true });
  const { page, tabId, popup } = await startRecording(env, '/?mask-all');
  await page.bringToFront();
  await page.locator('#add').click();
  const { bundle } = await stopAndShare(popup, { review: false });
  assert.equal(bundle.mask_policy.mask_all_text, true);
  const texts = bundle.events.flatMap((e) => nodesOf(e.nodes || e.adds).filter((n) => n.k === 'text').map((n) => n.text));
  const masked = (text) => text.replace(/\S/g, '*');
  assert.ok(texts.includes(masked('Fixture shop')), 'the heading is masked to its length, spaces kept');
  assert.ok(texts.includes(masked('Item added by the app')), 'added text is masked too');
  assert.ok(!JSON.stringify(bundle.events).includes('Fixture shop'));
});
