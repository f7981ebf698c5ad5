// Frames of another origin: the page's recorder cannot read them, so the
// extension runs a recorder of its own in each; the background relays its
// events to the page's recorder, which takes them in at the frame element.
// The fixture site served under `localhost` is another origin than under
// `127.0.0.1`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configure, testEnvironment, startRecording, stopAndShare, untilRecorded } from './harness.mjs';

const env = testEnvironment({});
const TYPED = 'Cross-Typed-Name-Kv7';

/** Text, a field's value and the base URL inside each frame of the replayed (or live) document. */
const frameFacts = (doc) => ['card-frame', 'masked-frame'].map((id) => {
  const inner = doc.getElementById(id)?.contentDocument;
  return {
    id,
    text: inner?.body?.innerText.replace(/\s+/g, ' ').trim() ?? null,
    holder: inner?.getElementById('holder')?.value ?? null,
  };
});

async function replayAtEnd(href) {
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('h2').waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => /Card checked/.test(
    document.querySelector('#replay').contentDocument.getElementById('card-frame')?.contentDocument?.body?.innerText ?? ''));
  const facts = await viewer.locator('#replay').evaluate((frame, source) => (0, eval)(`(${source})`)(frame.contentDocument), frameFacts.toString());
  await viewer.close();
  return facts;
}

test('a frame of another origin is recorded by a recorder of its own and replays in its frame element, masked where the page masks', async () => {
  const { browser } = env;
  const { page, popup, tabId } = await startRecording(env, '/cross-origin-host.html');
  await page.bringToFront();
  const frame = page.frameLocator('#card-frame');
  await frame.locator('#brand').waitFor();
  // The frame's own recorder has handed its document up.
  await untilRecorded(browser.worker, tabId, (r) => JSON.stringify(r.events).includes('PayFrame card form'), "the frame's document");
  await frame.locator('#holder').pressSequentially(TYPED);
  await frame.locator('#check').click();
  await untilRecorded(browser.worker, tabId, (r) => r.events.some((e) => e.type === 'input' && e.value === '*'.repeat(TYPED.length))
    && r.console.some((e) => e.args.includes('Card check failed in the frame'))
    && r.network.some((e) => e.url.includes('/api/error?from=frame')), "the frame's typing, console and request");
  const box = await page.locator('#card-frame').boundingBox();
  const button = await frame.locator('#check').boundingBox();
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const text = JSON.stringify(bundle);
  assert.ok(text.includes('PayFrame card form'), "the frame's document is recorded");
  assert.ok(text.includes('Card checked in the frame'), "a change in the frame after Start is recorded");
  assert.ok(!text.includes(TYPED), 'what was typed in the frame stays masked');
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat(TYPED.length)), 'typing in the frame is recorded, masked');
  assert.equal((text.match(/PayFrame card form/g) || []).length, 1, 'the frame under a masked element has its text masked');
  assert.ok(bundle.console.some((e) => e.level === 'error' && e.args.includes('Card check failed in the frame')),
    "the frame's console is in the report");
  assert.ok(bundle.network.some((e) => e.url.startsWith('http://localhost:') && e.url.includes('/api/error?from=frame') && e.status === 500),
    "the frame's request is in the report, with its status");
  const clicks = bundle.events.filter((e) => e.type === 'click');
  assert.ok(clicks.some((c) => c.x >= button.x && c.x <= button.x + button.width && c.y >= button.y && c.y <= button.y + button.height
    && c.x >= box.x && c.y >= box.y), `the click in the frame is where the button showed in the page: ${JSON.stringify({ clicks, button })}`);

  const replayed = await replayAtEnd(href);
  assert.deepEqual(replayed[0], { id: 'card-frame', text: 'PayFrame card form Card holder Card checked in the frame Check', holder: '*'.repeat(TYPED.length) });
  assert.match(replayed[1].text, /^\*{8} \*{4} \*{4} [* ]+$/, 'the frame under a masked element replays masked, word for word');
});

test('a frame of a site on the never-record list stays out of the recording', async () => {
  const { browser, server, site } = env;
  const other = site.url.replace('127.0.0.1', 'localhost');
  await configure(browser.context, browser.id, server.url, server.token, { skipSites: [`${other}/*`] });
  try {
    const { page, popup } = await startRecording(env, '/cross-origin-host.html');
    await page.frameLocator('#card-frame').locator('#brand').waitFor();
    // A window for the frame's recorder to hand anything up, which it must not.
    await page.waitForTimeout(1200);
    const { bundle } = await stopAndShare(popup);
    await popup.close();
    await page.close();
    const text = JSON.stringify(bundle);
    assert.ok(text.includes('Checkout'), 'the page itself is recorded');
    assert.ok(!text.includes('PayFrame'), "the never-record site's frame is not");
  } finally {
    await configure(browser.context, browser.id, server.url, server.token, {});
  }
});
