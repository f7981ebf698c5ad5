// Small fidelity cases, each recorded through the extension and replayed
// in the viewer: the replay must lay out and draw as the live page did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, untilRecorded, eventually } from './harness.mjs';

const INLINED_CSS = 'data-repro-inlined-css';
/** The events after the first snapshot. */
const afterSnapshot = (r) => r.events.slice(r.events.findIndex((e) => e.type === 'snapshot') + 1);

const env = testEnvironment({});

/** Record `path` for a moment, share it, and open the replay; the viewer page. */
async function replayOf(path) {
  const { page, popup } = await startRecording(env, path);
  const live = page;
  const { href } = await stopAndShare(popup);
  await popup.close();
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('body > p').last().waitFor();
  return { live, viewer };
}

test('a page without a doctype replays in quirks mode, one with a doctype in standards mode', async () => {
  for (const [path, mode] of [['/quirks.html', 'BackCompat'], ['/svg-sprite.html', 'CSS1Compat']]) {
    const { live, viewer } = await replayOf(path);
    assert.equal(await live.evaluate(() => document.compatMode), mode, `the live page ${path} is in ${mode}`);
    const replayed = await viewer.locator('#replay').evaluate((frame) => frame.contentDocument.compatMode);
    assert.equal(replayed, mode, `the replay of ${path}`);
    await live.close();
    await viewer.close();
  }
});

test('a picture the page made from a blob: URL (an upload preview) replays with its pixels', async () => {
  const { live, viewer } = await replayOf('/blob-image.html');
  await live.waitForFunction(() => document.querySelector('img[alt="upload preview"]')?.complete);
  const preview = viewer.frameLocator('#replay').locator('img[alt="upload preview"]');
  await preview.waitFor();
  const replayed = await eventually(
    () => preview.evaluate((img) => ({ src: img.getAttribute('src').slice(0, 22), width: img.naturalWidth })),
    (facts) => facts.width > 0);
  assert.deepEqual(replayed.src, 'data:image/png;base64,', 'its pixels, not the dead blob: address');
  assert.ok(replayed.width > 0, 'drawn');
  await live.close();
  await viewer.close();
});

test('an SVG sprite drawn with xlink:href replays drawn', async () => {
  const { live, viewer } = await replayOf('/svg-sprite.html');
  const before = await live.evaluate(() => {
    const use = document.querySelector('#icon use');
    return { href: use.getAttributeNS('http://www.w3.org/1999/xlink', 'href'), width: use.getBBox().width };
  });
  const after = await viewer.locator('#replay').evaluate((frame) => {
    const use = frame.contentDocument.querySelector('#icon use');
    return { href: use.getAttributeNS('http://www.w3.org/1999/xlink', 'href'), width: use.getBBox().width };
  });
  assert.deepEqual(after, before, 'the replayed <use> points at the sprite in XLink\'s namespace and draws it');
  assert.ok(after.width > 0);
  await live.close();
  await viewer.close();
});

test('a canvas keeps its box in the replay, sized by its attributes or by the page\'s CSS', async () => {
  const { live, viewer } = await replayOf('/canvas.html');
  const before = await live.evaluate(() => ['chart', 'wide'].map((id) => {
    const { width, height } = document.getElementById(id).getBoundingClientRect();
    return { id, width: Math.round(width), height: Math.round(height) };
  }));
  const after = await viewer.locator('#replay').evaluate((frame) => ['chart', 'wide'].map((id) => {
    const { width, height } = frame.contentDocument.getElementById(id).getBoundingClientRect();
    return { id, width: Math.round(width), height: Math.round(height) };
  }));
  assert.deepEqual(after, before, 'each canvas has its live box');
  const fallbackShown = await viewer.locator('#replay').evaluate((frame) => {
    const p = frame.contentDocument.querySelector('#chart p');
    return p.getBoundingClientRect().height > 0;
  });
  assert.equal(fallbackShown, false, 'the fallback content stays hidden');
  await live.close();
  await viewer.close();
});

test('values a script sets (input.value = …) are recorded, masked, and replayed', async () => {
  const { page, popup } = await startRecording(env, '/script-values.html');
  await page.locator('#fill').click();
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const inputs = bundle.events.filter((e) => e.type === 'input');
  assert.ok(inputs.some((e) => e.value === '*'.repeat('set by script'.length)), `the text field's value, masked: ${JSON.stringify(inputs)}`);
  assert.ok(inputs.some((e) => e.checked === true), 'the checkbox checked from script');
  assert.ok(inputs.some((e) => e.value === '*'.repeat('two words'.length)), 'the textarea');
  assert.ok(!JSON.stringify(bundle).includes('set by script'), 'never unmasked');
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  const frame = viewer.frameLocator('#replay');
  await frame.locator('#fill').waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.querySelector('#agree')?.checked === true);
  assert.equal(await frame.locator('#name').inputValue(), '*'.repeat('set by script'.length));
  await viewer.close();
});

test('a dialog opened with showModal() replays as a modal, where it was', async () => {
  const { page, popup } = await startRecording(env, '/dialog.html');
  await page.locator('#ask').click();
  const live = await page.evaluate(() => {
    const dialog = document.getElementById('confirm');
    const { x, y, width, height } = dialog.getBoundingClientRect();
    return { modal: dialog.matches(':modal'), x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
  });
  assert.equal(live.modal, true, 'the fixture opens a modal');
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const changes = bundle.events.filter((e) => e.type === 'mutation').flatMap((e) => e.attrs ?? []);
  assert.ok(changes.some((c) => c.name === 'data-repro-modal' && c.value === ''), 'the recording says the dialog opened as a modal');
  const viewer = await env.browser.context.newPage();
  await viewer.setViewportSize({ width: 1600, height: 1000 });
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('#ask').waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('confirm')?.matches(':modal'));
  const replayed = await viewer.locator('#replay').evaluate((frame) => {
    const dialog = frame.contentDocument.getElementById('confirm');
    const { x, y, width, height } = dialog.getBoundingClientRect();
    return { modal: dialog.matches(':modal'), x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height), marker: dialog.hasAttribute('data-repro-modal') };
  });
  assert.deepEqual(replayed, { ...live, marker: false }, 'modal, where and as large as it was live');
  await viewer.close();
});

test('rules a script inserted (CSS-in-JS) replay, those inserted before Start and after', async () => {
  const { page, popup, tabId } = await startRecording(env, '/css-in-js.html');
  await page.locator('#theme').click();
  // The page hook tells the rules' change once per task.
  await untilRecorded(env.browser.worker, tabId, (r) => JSON.stringify(afterSnapshot(r)).includes(INLINED_CSS), 'the inserted rules');
  const styles = (doc) => ({
    title: getComputedStyle(doc.querySelector('.title')).color,
    note: getComputedStyle(doc.querySelector('.note')).backgroundColor,
    body: getComputedStyle(doc.body).backgroundColor,
  });
  const live = await page.evaluate(`(${styles})(document)`);
  assert.deepEqual(live, { title: 'rgb(200, 30, 30)', note: 'rgb(240, 240, 200)', body: 'rgb(20, 20, 40)' }, 'the fixture styles itself');
  const { href } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('.note').waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => getComputedStyle(document.querySelector('#replay').contentDocument.body).backgroundColor === 'rgb(20, 20, 40)', null, { timeout: 10000 });
  const replayed = await viewer.locator('#replay').evaluate((frame) => {
    const doc = frame.contentDocument;
    const style = (e) => frame.contentWindow.getComputedStyle(e);
    return { title: style(doc.querySelector('.title')).color, note: style(doc.querySelector('.note')).backgroundColor, body: style(doc.body).backgroundColor };
  });
  assert.deepEqual(replayed, live);
  await viewer.close();
});

test('a popover shown on the page shows in the replay', async () => {
  const { page, popup, tabId } = await startRecording(env, '/popover.html');
  await page.locator('#info').click();
  // The popover's toggle event comes in a task of its own.
  await untilRecorded(env.browser.worker, tabId, (r) => JSON.stringify(afterSnapshot(r)).includes('data-repro-popover-open'), 'the popover shown');
  assert.equal(await page.evaluate(() => document.getElementById('tip').matches(':popover-open')), true, 'the fixture shows its popover');
  const { href } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('#info').waitFor();
  const showing = () => viewer.locator('#replay').evaluate((frame) => frame.contentDocument.getElementById('tip').matches(':popover-open'));
  assert.equal(await showing(), false, 'hidden at the start, as it was');
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('tip')?.matches(':popover-open'), null, { timeout: 10000 });
  await viewer.close();
});

test("a select's choice replays when it may be recorded, and stays hidden when masked", async () => {
  const { page, popup } = await startRecording(env, '/select.html');
  await page.locator('#country').selectOption('it');
  await page.locator('#band').selectOption('b');
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  assert.ok(!JSON.stringify(bundle.events).includes('"value":"b"'), 'the masked choice is not in the bundle');
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  const frame = viewer.frameLocator('#replay');
  await frame.locator('#country').waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('country')?.value === 'it', null, { timeout: 10000 });
  assert.notEqual(await frame.locator('#band').inputValue(), 'b', 'the masked choice is not replayed');
  await viewer.close();
});

test('web components replay: open, closed and declarative shadow roots, slots, adopted styles, changes, roots attached later, masking inside', async () => {
  const { page, popup } = await startRecording(env, '/shadow.html');
  await page.locator('#change').click();
  await page.locator('#open-input').pressSequentially('Open-Root-Secret-Kq2');
  await page.evaluate(() => window.badgeRoot.getElementById('closed-input').focus());
  await page.keyboard.type('Closed-Root-Secret-Wy5');
  const facts = (doc, closedRoot) => {
    const card = doc.getElementById('card');
    const title = card.shadowRoot.getElementById('title');
    const box = card.shadowRoot.querySelector('.box');
    const badge = closedRoot ?? doc.getElementById('badge').shadowRoot;
    const late = doc.getElementById('late').shadowRoot;
    const decl = doc.getElementById('declarative').shadowRoot.getElementById('decl-text');
    const rect = (element) => { const r = element.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
    return {
      title: title.textContent,
      titleColor: getComputedStyle(title).color,
      boxBorder: getComputedStyle(box).borderTopColor,
      cardBox: rect(card),
      noteSlotted: doc.getElementById('note').assignedSlot?.name ?? null,
      badge: badge.getElementById('badge-text').textContent,
      late: late?.getElementById('late-text')?.textContent ?? null,
      lateBox: rect(doc.getElementById('late')),
      declared: [decl.textContent, getComputedStyle(decl).color],
    };
  };
  const live = await page.evaluate(`(${facts})(document, window.badgeRoot)`);
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  assert.equal(live.title, 'Order 43');
  const text = JSON.stringify(bundle);
  for (const secret of ['Open-Root-Secret-Kq2', 'Closed-Root-Secret-Wy5', 'Shadow-Masked-Ada7']) {
    assert.ok(!text.includes(secret), `${secret} is not in the bundle`);
  }
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat('Closed-Root-Secret-Wy5'.length)),
    'typing in a closed root is recorded, masked, on the input itself');
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat('Open-Root-Secret-Kq2'.length)),
    'and in an open one');

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('body > p').last().waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('late')?.shadowRoot?.textContent.includes('Attached'));
  const replayed = await viewer.locator('#replay').evaluate((frame, source) => (0, eval)(`(${source})`)(frame.contentDocument, null), facts.toString());
  assert.deepEqual(replayed, live, 'the replay shows the components as the live page did');
  const maskedText = await viewer.locator('#replay').evaluate((frame) => frame.contentDocument.getElementById('masked').shadowRoot.textContent);
  assert.ok(maskedText.length > 0 && !maskedText.includes('Private'), `text under a masked host is masked: ${maskedText}`);
  await viewer.close();
});

test('same-origin frames replay: their documents, typing inside (masked), a frame added later', async () => {
  const { page, popup, tabId } = await startRecording(env, '/iframe-host.html');
  await page.frameLocator('#payment').locator('#holder').pressSequentially('Ada Lovelace');
  const pay = page.frameLocator('#payment').locator('#pay');
  await pay.click();
  const payBox = await pay.boundingBox();
  await page.locator('#add-frame').click();
  await page.frameLocator('#added').locator('h1').waitFor();
  // The added frame's document is recorded at its load event.
  await untilRecorded(env.browser.worker, tabId, (r) => JSON.stringify(afterSnapshot(r)).includes('Second fixture page'), "the added frame's document");
  const frameFacts = (doc) => ['payment', 'added'].map((id) => {
    const inner = doc.getElementById(id)?.contentDocument;
    return { id, text: inner?.body?.innerText.replace(/\s+/g, ' ').trim() ?? null, mode: inner?.compatMode ?? null, base: inner?.baseURI ?? null };
  });
  const live = await page.evaluate(`(${frameFacts})(document)`);
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  assert.ok(live[0].text.includes('Card holder') && live[1].text.includes('Second fixture page'), JSON.stringify(live));
  assert.ok(!JSON.stringify(bundle).includes('Ada Lovelace'), 'what was typed in the frame stays masked');
  assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*'.repeat('Ada Lovelace'.length)),
    'typing in the frame is recorded, masked');
  assert.ok(bundle.events.some((e) => e.type === 'click' && e.x >= payBox.x && e.x <= payBox.x + payBox.width
    && e.y >= payBox.y && e.y <= payBox.y + payBox.height), 'the click in the frame is where the button showed in the page');

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('body > p').last().waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('added')?.contentDocument?.body?.innerText.includes('Second fixture page'));
  const replayed = await viewer.locator('#replay').evaluate((frame, source) => (0, eval)(`(${source})`)(frame.contentDocument), frameFacts.toString());
  assert.deepEqual(replayed, live, 'each frame shows the document it showed live, in its mode');
  const typed = await viewer.locator('#replay').evaluate((frame) => frame.contentDocument.getElementById('payment').contentDocument.getElementById('holder').value);
  assert.equal(typed, '*'.repeat('Ada Lovelace'.length), 'the field in the frame shows what was typed, masked');
  await viewer.close();
});

test('in-page navigation: addresses a script pushes, a new # and going back are recorded and shown above the replay', async () => {
  const { page, popup, tabId } = await startRecording(env, '/second.html');
  const navigations = (n) => untilRecorded(env.browser.worker, tabId,
    (r) => r.events.filter((e) => e.type === 'navigation').length >= n, `navigation ${n}`);
  await page.evaluate(() => history.pushState({}, '', '/checkout/step-2'));
  await navigations(1);
  await page.evaluate(() => { location.hash = 'review'; });
  await navigations(2);
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => location.hash === '');
  await navigations(3);
  const live = await page.evaluate(() => location.href);
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const addresses = bundle.events.filter((e) => e.type === 'navigation').map((e) => new URL(e.url).pathname + new URL(e.url).hash);
  assert.deepEqual(addresses, ['/checkout/step-2', '/checkout/step-2#review', '/checkout/step-2'], JSON.stringify(addresses));
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('h1').waitFor();
  assert.ok((await viewer.locator('#address').textContent()).endsWith('/second.html'), 'the address at the start');
  await viewer.locator('#play').click();
  await viewer.waitForFunction((url) => document.getElementById('address').textContent === url, live);
  await viewer.close();
});

test('a page whose only shadow roots come after Start: their later changes replay, and masking reaches into them', async () => {
  const { page, popup, tabId } = await startRecording(env, '/late-root.html');
  await page.locator('#attach').click();
  // The fixture changes the new root again in a later task.
  await untilRecorded(env.browser.worker, tabId, (r) => JSON.stringify(afterSnapshot(r)).includes('second'), "the root's later change");
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const text = JSON.stringify(bundle);
  assert.ok(!text.includes('Late-Root-Secret'), 'text in a root under a masked element stays masked');
  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('body > p').last().waitFor();
  await viewer.locator('#play').click();
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('host')?.shadowRoot?.textContent === 'second');
  await viewer.close();
});
