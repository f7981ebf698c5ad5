// The tester annotates a mark's screenshot on the review page before
// sharing: a black-out over the marked element, a rectangle, a line of
// text, and an arrow taken back with Undo. What is shared has them in its
// pixels: the blacked-out area is black in the screenshot and in the
// element's crop as the server stores them, the rectangle is red, the
// undone arrow is not there. The review page and the editor pass the
// accessibility check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, fetchBundle, markElement } from './harness.mjs';
import { checkAccessibility } from './axe.mjs';
import { pngPixels } from './pixels.mjs';

const env = testEnvironment({});

const pixels = pngPixels;

/** Points on a grid inside `[x, y, w, h]`. */
function grid([x, y, w, h], steps = 5) {
  const points = [];
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) points.push([x + 1 + ((w - 2) * i) / steps, y + 1 + ((h - 2) * j) / steps]);
  }
  return points;
}

const isBlack = ([r, g, b]) => r === 0 && g === 0 && b === 0;
const isRed = ([r, g, b]) => r > 180 && g < 90 && b < 90;

test('annotations are drawn into the shared screenshot’s pixels', async () => {
  const { browser } = env;
  const { page, tabId, popup } = await startRecording(env, '/marks.html');
  const price = page.locator('.css-1x9abc');
  const box = await markElement(page, popup, price, 'Price hides the discount', 'visual', 'high');
  const viewportWidth = await page.evaluate(() => innerWidth);
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();

  const review = await browser.context.newPage();
  await review.goto(`chrome-extension://${browser.id}/review.html?tab=${tabId}`);
  const thumbnail = review.getByRole('img', { name: 'Screenshot of mark 1' });
  await thumbnail.waitFor();
  await review.getByText('Mark 1: Price hides the discount').waitFor();
  const before = await thumbnail.getAttribute('src');
  await checkAccessibility('review with marks', review);

  await review.getByRole('button', { name: 'Annotate mark 1' }).click();
  const dialog = review.getByRole('dialog', { name: 'Annotate the screenshot' });
  await dialog.waitFor();
  await checkAccessibility('screenshot editor', review);
  const canvas = review.locator('#annotation-canvas');
  const width = Number(await canvas.evaluate((c) => c.width));
  const scale = width / viewportWidth;
  // The canvas's content box (inside its border), where the image is shown.
  const shown = await canvas.evaluate((c) => {
    const r = c.getBoundingClientRect();
    return { x: r.left + c.clientLeft, y: r.top + c.clientTop, width: c.clientWidth };
  });
  const onCanvas = (x, y) => [shown.x + (x * shown.width) / width, shown.y + (y * shown.width) / width];
  const drag = async ([x0, y0], [x1, y1]) => {
    await review.mouse.move(...onCanvas(x0, y0));
    await review.mouse.down();
    await review.mouse.move(...onCanvas((x0 + x1) / 2, (y0 + y1) / 2), { steps: 3 });
    await review.mouse.move(...onCanvas(x1, y1), { steps: 3 });
    await review.mouse.up();
  };

  // Black out the marked element with a margin, in the screenshot's pixels.
  const blackOut = [(box.x - 6) * scale, (box.y - 6) * scale, (box.width + 12) * scale, (box.height + 12) * scale];
  await dialog.getByLabel('Black out').check();
  await drag([blackOut[0], blackOut[1]], [blackOut[0] + blackOut[2], blackOut[1] + blackOut[3]]);
  const rectangle = [40 * scale, 300 * scale, 200 * scale, 60 * scale];
  await dialog.getByLabel('Rectangle').check();
  await drag([rectangle[0], rectangle[1]], [rectangle[0] + rectangle[2], rectangle[1] + rectangle[3]]);
  await dialog.getByLabel('Text', { exact: true }).check();
  await dialog.getByLabel('Text to place').fill('Should be 38.00');
  await review.mouse.click(...onCanvas(300 * scale, 200 * scale));
  // An arrow, then taken back.
  const arrow = [[500 * scale, 450 * scale], [700 * scale, 450 * scale]];
  await dialog.getByLabel('Arrow').check();
  await drag(...arrow);
  await dialog.getByRole('button', { name: 'Undo' }).click();
  await dialog.getByRole('button', { name: 'Save annotations' }).click();
  await review.getByText("Saved 3 annotations into the screenshot's pixels.").waitFor();
  assert.ok(await dialog.isHidden(), 'the editor closed');
  assert.notEqual(await thumbnail.getAttribute('src'), before, 'the thumbnail shows the annotated screenshot');

  await review.getByRole('button', { name: 'Share report' }).click();
  const link = review.locator('#link[href]');
  await link.waitFor({ timeout: 20000 });
  const bundle = await fetchBundle(await link.getAttribute('href'));
  const [mark] = bundle.marks;
  const shot = bundle.screenshots[mark.screenshot];
  const crop = bundle.screenshots[mark.crop];

  const inside = [blackOut[0] + 2, blackOut[1] + 2, blackOut[2] - 4, blackOut[3] - 4];
  const blacked = await pixels(review, shot.data, grid(inside));
  assert.ok(blacked.every(isBlack), `the black-out is black in the stored screenshot: ${JSON.stringify(blacked)}`);
  const cropped = await pixels(review, crop.data, grid([0, 0, crop.width, crop.height], 3));
  assert.ok(cropped.every(isBlack), `the element's crop is blacked out too: ${JSON.stringify(cropped)}`);
  const [edge] = await pixels(review, shot.data, [[rectangle[0] + rectangle[2] / 2, rectangle[1]]]);
  assert.ok(isRed(edge), `the rectangle is drawn in red: ${edge}`);
  const [shaft] = await pixels(review, shot.data, [[(arrow[0][0] + arrow[1][0]) / 2, arrow[0][1]]]);
  assert.ok(!isRed(shaft), `the undone arrow is not drawn: ${shaft}`);
  await Promise.all([page, popup, review].map((p) => p.close()));
});
