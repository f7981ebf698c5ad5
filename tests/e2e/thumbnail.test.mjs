// The report's thumbnail: a small picture of the tab taken at Stop, with
// what the privacy rules hide blacked out before it is made small. The
// review shows it with its own Include box; the team's reports list shows
// it; a thumbnail left out at review is not uploaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, fetchBundle } from './harness.mjs';
import { pixelsOf } from './pixels.mjs';

const env = testEnvironment({});

const pixels = pixelsOf;

/**
 * Record `path`, let `act` type (it answers the boxes to check), stop with
 * the page in front, as a tester does from the toolbar's popup, and open
 * the review.
 */
async function recordAndReview(path, act) {
  const { browser } = env;
  const { page, tabId, popup } = await startRecording(env, path);
  await page.bringToFront();
  const boxes = await act(page);
  const viewportWidth = await page.evaluate(() => innerWidth);
  await popup.evaluate(() => document.getElementById('stop').click());
  await popup.getByText(/^Review before sharing: /).waitFor();
  const review = await browser.context.newPage();
  await review.goto(`chrome-extension://${browser.id}/review.html?tab=${tabId}`);
  await review.locator('#diagnosis-list li').first().waitFor();
  return { page, popup, review, boxes, viewportWidth };
}

/** The middle of each of `boxes` (page pixels) on a thumbnail `width` pixels wide. */
const middles = (boxes, viewportWidth, width) => boxes.map((b) => [
  ((b.x + b.width / 2) * width) / viewportWidth, ((b.y + b.height / 2) * width) / viewportWidth,
]);

async function share(review) {
  await review.getByRole('button', { name: 'Share report' }).click();
  const link = review.locator('#link[href]');
  await link.waitFor({ timeout: 20000 });
  const href = await link.getAttribute('href');
  return { href, bundle: await fetchBundle(href) };
}

test('a masked thumbnail of the tab at Stop, in the review and the reports list', async () => {
  const { server, browser } = env;
  const { page, popup, review, boxes, viewportWidth } = await recordAndReview('/settings.html', async (page) => {
    await page.locator('#display-name').fill('Ada Lovelace Secret');
    return [await page.locator('#display-name').boundingBox()];
  });
  const shown = review.getByRole('img', { name: 'The tab when recording stopped' });
  await shown.waitFor();
  assert.ok(await review.getByRole('checkbox', { name: 'Include the thumbnail' }).isChecked());
  const { href, bundle } = await share(review);
  const { thumbnail } = bundle;
  assert.ok(thumbnail, 'the bundle carries the thumbnail');
  assert.equal(thumbnail.mime, 'image/webp');
  assert.equal(thumbnail.width, 320);
  assert.ok(thumbnail.data.length < 87384, `small: ${thumbnail.data.length} base64 characters`);

  // The typed field is black in the thumbnail (scaled from the page).
  const [middle] = middles(boxes, viewportWidth, thumbnail.width);
  const [inField] = await pixels(review, `data:image/webp;base64,${thumbnail.data}`, [middle]);
  assert.ok(inField.every((c) => c < 40), `the field is blacked out: ${inField}`);

  // The team's list shows it, from the server.
  const id = href.split('/r/')[1];
  const team = await browser.context.newPage();
  await team.goto(`${server.url}/reports`);
  await team.getByLabel('Upload token').fill(server.token);
  await team.getByRole('button', { name: 'Sign in' }).click();
  const listed = team.locator(`img[src="/r/${id}/thumbnail"]`);
  await listed.waitFor();
  await team.waitForFunction((img) => img.complete && img.naturalWidth === 320, await listed.elementHandle());
  const [served] = await pixels(team, `/r/${id}/thumbnail`, [middle]);
  assert.ok(served.every((c) => c < 40), `the served thumbnail is the masked one: ${served}`);
  await Promise.all([page, popup, review].map((p) => p.close()));

  // Fields in open and closed shadow roots (of custom and of plain
  // elements) are blacked out too; a
  // thumbnail left out at review is not uploaded, and the list shows none.
  const second = await recordAndReview('/privacy.html', async (page) => {
    await page.locator('#open-root-field').fill('Open-Shadow-Typed-Rt6');
    await page.evaluate(() => { window.closedFieldRoot.getElementById('closed-root-field').value = 'Closed-Shadow-Typed-Nm3'; });
    return [
      await page.locator('#open-root-field').boundingBox(),
      await page.evaluate(() => {
        const r = window.closedFieldRoot.getElementById('closed-root-field').getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
      // A closed root on a plain element, which only the page hook names.
      await page.evaluate(() => {
        const field = window.plainClosedRoot.getElementById('plain-closed-field');
        field.value = 'Plain-Closed-Typed-Ks2';
        const r = field.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    ];
  });
  const image = second.review.getByRole('img', { name: 'The tab when recording stopped' });
  await image.waitFor();
  const src = await image.getAttribute('src');
  const width = await image.evaluate((i) => i.naturalWidth);
  const inShadow = await pixels(second.review, src, middles(second.boxes, second.viewportWidth, width));
  assert.ok(inShadow.every((rgb) => rgb.every((c) => c < 40)), `shadow-root fields are blacked out: ${JSON.stringify(inShadow)}`);
  await second.review.getByRole('checkbox', { name: 'Include the thumbnail' }).uncheck();
  await second.review.getByText(/This report will share/).waitFor();
  const { href: secondHref, bundle: secondBundle } = await share(second.review);
  assert.equal(secondBundle.thumbnail, undefined, 'left out');
  await team.reload();
  const secondId = secondHref.split('/r/')[1];
  assert.equal(await team.locator(`img[src="/r/${secondId}/thumbnail"]`).count(), 0);
  await Promise.all([second.page, second.popup, second.review, team].map((p) => p.close()));
});
