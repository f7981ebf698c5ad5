// The tester marks two elements during a recording: each mark's selector
// matches exactly that element, its box is right, its screenshots decode to
// images of the right size with masked regions painted black, and the viewer
// outlines the element at the mark's time. A Stop pressed while a mark is
// still being saved waits for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  testEnvironment, startRecording, stopAndShare, configure, tabIdOf, openPopup, fetchBundle, markElement,
} from './harness.mjs';
import { pngPixels } from './pixels.mjs';

const env = testEnvironment({});

/** PNG width and height from its IHDR chunk. */
function pngSize(base64) {
  const bytes = Buffer.from(base64, 'base64');
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The RGB of pixel (x, y) of a PNG, decoded by the browser. */
const pixel = async (page, base64, x, y) => (await pngPixels(page, base64, [[x, y]]))[0];

test('mark two elements, check selectors, boxes, screenshots and the viewer', async () => {
  const { site, server, browser } = env;
  const { page, tabId, popup } = await startRecording(env, '/marks.html');
  await page.bringToFront();
  await page.locator('#note').pressSequentially('Gift-Note-Secret');

  const price = page.locator('.css-1x9abc');
  const priceBox = await markElement(page, popup, price, 'Price is wrong', 'visual', 'high');
  const deep = page.locator('#results li').nth(16);
  const deepBox = await markElement(page, popup, deep, 'Typo in result 17', 'copy', 'low');
  const noteBox = await page.locator('#note').boundingBox();

  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByRole('button', { name: 'Share report' }).click();
  await popup.locator('#link').waitFor({ timeout: 20000 });
  const href = await popup.locator('#link').getAttribute('href');
  const bundle = await fetchBundle(href);

  assert.equal(bundle.marks.length, 2);
  // Stopped with the popup in front, the tab was out of view: the report's
  // thumbnail is made from the first mark's (masked) screenshot.
  assert.equal(bundle.thumbnail?.width, 320, 'the thumbnail comes from the first mark');
  assert.equal(bundle.thumbnail.mime, 'image/webp');
  const [first, second] = bundle.marks;
  assert.deepEqual([first.comment, first.kind, first.severity], ['Price is wrong', 'visual', 'high']);
  assert.deepEqual([second.comment, second.kind, second.severity], ['Typo in result 17', 'copy', 'low']);
  assert.ok(!first.selector.includes('css-1x9abc'), `no generated class in ${first.selector}`);
  const matches = await page.evaluate((selectors) => selectors.map((s) => {
    const found = document.querySelectorAll(s);
    return [found.length, found[0] && found[0].textContent];
  }), [first.selector, second.selector]);
  assert.deepEqual(matches, [[1, '42.00 EUR'], [1, 'Result 17']]);
  const near = (a, b) => Math.abs(a - b) <= 2;
  assert.ok(near(first.rect.x, priceBox.x) && near(first.rect.y, priceBox.y) && near(first.rect.w, priceBox.width));
  assert.ok(near(second.rect.w, deepBox.width) && near(second.rect.h, deepBox.height));
  assert.equal(first.styles.find(([k]) => k === 'color')[1], 'rgb(200, 30, 30)');
  assert.ok(first.xpath.startsWith('/html/body/div/main/section'), first.xpath);
  assert.ok(first.t > 0 && second.t > first.t, 'marks sit on the session timeline');

  const full = bundle.screenshots[first.screenshot];
  const crop = bundle.screenshots[first.crop];
  assert.deepEqual(pngSize(full.data), { width: 1000, height: 700 });
  assert.deepEqual([full.width, full.height], [1000, 700]);
  const cropSize = pngSize(crop.data);
  assert.ok(near(cropSize.width, first.rect.w) && near(cropSize.height, first.rect.h), JSON.stringify(cropSize));

  // Masked regions are black in the pixels: the typed field and the email in the text.
  const blank = await browser.context.newPage();
  assert.deepEqual(await pixel(blank, full.data, noteBox.x + noteBox.width / 2, noteBox.y + noteBox.height / 2), [0, 0, 0]);
  const contact = await page.evaluate(() => {
    const text = document.getElementById('contact').firstChild;
    const range = document.createRange();
    const at = text.data.indexOf('grace');
    range.setStart(text, at);
    range.setEnd(text, at + 5);
    const r = range.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  assert.deepEqual(await pixel(blank, full.data, contact.x, contact.y), [0, 0, 0], 'the email is blacked out');
  const [r, g, b] = await pixel(blank, full.data, first.rect.x, first.rect.y + first.rect.h / 2);
  assert.ok(r > 180 && g < 90 && b < 90, `the element is outlined in red, got ${[r, g, b]}`);
  await blank.close();

  // The developer picks the first mark in the viewer.
  const viewer = await browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').getByText('Blue mug').waitFor();
  await viewer.locator('#marks li').first().click();
  await viewer.locator('#mark-detail').getByText('Price is wrong (visual, high)').waitFor();
  assert.equal(await viewer.locator('#mark-detail img').count(), 2);
  assert.equal(await viewer.locator('#mark-detail code').textContent(), first.selector);
  const outline = await viewer.locator('#mark-outline').boundingBox();
  // The replay as drawn: it shrinks to fit the column and the window.
  const replay = await viewer.locator('#replay').boundingBox();
  const scale = replay.width / 1000;
  assert.ok(scale <= 1 && Math.abs(outline.x - (replay.x + first.rect.x * scale)) <= 4, `outline x ${outline.x}`);
  const border = 6; // the outline's 3 px border on each side
  assert.ok(Math.abs(outline.width - border - first.rect.w * scale) <= 4, `outline width ${outline.width}`);
  const replayedTime = Number(await viewer.locator('#timeline').inputValue());
  assert.equal(replayedTime, first.t, 'the replay is at the mark time');
  assert.equal(await viewer.locator('#pins button').count(), 2);
  await Promise.all([viewer.close(), page.close(), popup.close()]);
});

test('a mark made without a recording becomes a one-page report', async () => {
  const { site, server, browser } = env;
  const page = await browser.context.newPage();
  await page.goto(site.url + '/marks.html');
  const tabId = await tabIdOf(browser.worker, page);
  const popup = await openPopup(browser.context, browser.id, tabId);
  await popup.getByText('Not recording.').waitFor();
  await markElement(page, popup, page.locator('#results li').nth(2), 'Wrong order', 'bug', 'medium');
  await popup.bringToFront();
  await popup.getByText(/^Review before sharing: .*1 page,/).waitFor({ timeout: 15000 });
  await popup.getByRole('button', { name: 'Share report' }).click();
  await popup.locator('#link').waitFor({ timeout: 20000 });
  const bundle = await fetchBundle(await popup.locator('#link').getAttribute('href'));
  assert.equal(bundle.pages.length, 1);
  assert.equal(bundle.marks.length, 1);
  assert.equal(bundle.marks[0].comment, 'Wrong order');
  assert.ok(bundle.events.some((e) => e.type === 'snapshot'), 'the page itself is in the report');
  const ready = bundle.console.find((e) => e.args[0] === 'catalogue ready');
  assert.ok(ready && ready.before_start_ms > 0, 'the console of the minute before the mark is in the report');
  assert.equal(bundle.screenshots.length, 2);
});

test('Stop pressed right after Save keeps the mark', async () => {
  const { page, tabId, popup } = await startRecording(env, '/marks.html?hurry');
  await page.bringToFront();
  await markElement(page, popup, page.locator('#results li').nth(4), 'Saved in a hurry', 'bug', 'low', { waitUntilClosed: false });
  // Before the background has taken the screenshot and stored the mark.
  await popup.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Share report' }).click();
  await popup.locator('#link').waitFor({ timeout: 20000 });
  const bundle = await fetchBundle(await popup.locator('#link').getAttribute('href'));
  assert.deepEqual(bundle.marks.map((mark) => mark.comment), ['Saved in a hurry']);
  await Promise.all([page.close(), popup.close()]);
});

test('an element inside a same-origin iframe: frame chain, selector in the frame, frame fields blacked out', async () => {
  const { site, server, browser } = env;
  const { page, tabId, popup } = await startRecording(env, '/marks.html?frame');
  const frame = page.frameLocator('iframe[title="Payment"]');
  await page.bringToFront();
  await frame.locator('#holder').pressSequentially('Grace Hopper');
  const payBox = await markElement(page, popup, frame.locator('#pay'), 'Button does nothing', 'bug', 'critical');
  const holderBox = await frame.locator('#holder').boundingBox();
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByRole('button', { name: 'Share report' }).click();
  await popup.locator('#link').waitFor({ timeout: 20000 });
  const bundle = await fetchBundle(await popup.locator('#link').getAttribute('href'));
  const [mark] = bundle.marks;
  assert.equal(mark.frames.length, 1);
  assert.equal(await page.locator(mark.frames[0]).count(), 1, `${mark.frames[0]} matches one iframe`);
  assert.equal(await frame.locator(mark.selector).count(), 1, `${mark.selector} matches one element in the frame`);
  assert.equal(await frame.locator(mark.selector).textContent(), 'Pay now');
  const near = (a, b) => Math.abs(a - b) <= 2;
  assert.ok(near(mark.rect.x, payBox.x) && near(mark.rect.y, payBox.y), 'the box is in top-viewport coordinates');
  const full = bundle.screenshots[mark.screenshot];
  const blank = await browser.context.newPage();
  assert.deepEqual(await pixel(blank, full.data, holderBox.x + holderBox.width / 2, holderBox.y + holderBox.height / 2), [0, 0, 0],
    'a field inside the iframe is blacked out');
  await Promise.all([blank.close(), page.close(), popup.close()]);
});
