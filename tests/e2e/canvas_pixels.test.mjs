// Canvas pixels: a 2D canvas's are recorded when it changes and replayed
// as it showed; a WebGL canvas's come from the tab's own pixels, with a
// masked element over it blacked out in the stored image; a canvas in a
// masked or blocked region (or masked itself) gives none at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, configure, startRecording, stopAndShare, nodesOf, untilRecorded } from './harness.mjs';

const env = testEnvironment();

/** The colour at (`x`, `y`) of the image `dataUrl`, decoded by the browser in `page`. */
function colourAt(page, dataUrl, x, y) {
  return page.evaluate(async ({ dataUrl, x, y }) => {
    const bitmap = await createImageBitmap(await (await fetch(dataUrl)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    return { size: [bitmap.width, bitmap.height], rgb: [...context.getImageData(x, y, 1, 1).data.slice(0, 3)] };
  }, { dataUrl, x, y });
}

const near = (rgb, expected) => rgb.every((c, i) => Math.abs(c - expected[i]) <= 40);

test('canvas pixels are recorded and replayed, never from a hidden region, with masked content over WebGL blacked out', async () => {
  const { browser, server } = env;
  await configure(browser.context, browser.id, server.url, server.token);
  const { page, tabId, popup } = await startRecording(env, '/pixels.html');
  await page.bringToFront();
  const sceneFrames = (r) => r.events.filter((e) => e.type === 'pixels').length >= 2;
  await untilRecorded(browser.worker, tabId, sceneFrames, 'the first frames of the canvas and the scene');
  await page.evaluate(() => window.repaint());
  await untilRecorded(browser.worker, tabId, (r) => r.events.filter((e) => e.type === 'pixels').length >= 3, 'the repainted canvas');
  const { href, bundle } = await stopAndShare(popup);

  const nodes = nodesOf(bundle.events[0].nodes);
  const idOf = (name) => nodes.find((n) => n.attrs?.some(([k, v]) => k === 'id' && v === name))?.id;
  const pixels = bundle.events.filter((e) => e.type === 'pixels');
  const framesOf = (name) => pixels.filter((e) => e.id === idOf(name));
  for (const hidden of ['in-masked', 'masked-itself']) {
    assert.ok(idOf(hidden), `#${hidden} is recorded as an element`);
    assert.equal(framesOf(hidden).length, 0, `#${hidden}: no pixels`);
  }
  assert.equal(idOf('in-blocked'), undefined, 'the blocked canvas is a placeholder');
  assert.equal(new Set(pixels.map((e) => e.id)).size, 2, 'pixels of the shown canvas and the scene only');

  const shown = framesOf('shown');
  assert.equal(shown.length, 2, 'the shown canvas: its first frame and the repainted one, nothing unchanged');
  assert.ok(near((await colourAt(page, shown[0].image, 30, 15)).rgb, [224, 0, 0]), 'first frame red');
  assert.ok(near((await colourAt(page, shown[1].image, 30, 15)).rgb, [0, 0, 224]), 'then blue');

  const [scene] = framesOf('scene');
  assert.ok(scene, 'the WebGL scene has pixels, from the tab');
  const { size } = await colourAt(page, scene.image, 0, 0);
  const scale = size[0] / 200;
  assert.ok(near((await colourAt(page, scene.image, 150 * scale, 70 * scale)).rgb, [0, 204, 0]), 'the scene is green');
  assert.deepEqual((await colourAt(page, scene.image, 50 * scale, 40 * scale)).rgb, [0, 0, 0], 'the masked overlay is black in the stored pixels');

  // The replay shows the last frame of each.
  const viewer = await browser.context.newPage();
  await viewer.goto(href);
  const replay = viewer.frameLocator('#replay');
  await replay.locator('body').waitFor();
  await viewer.evaluate(() => {
    const timeline = document.getElementById('timeline');
    timeline.value = timeline.max;
    timeline.dispatchEvent(new Event('input'));
  });
  await viewer.waitForFunction(() => document.querySelector('#replay').contentDocument.getElementById('shown')?.getAttribute('style')?.includes('data:image/'));
  const style = await replay.locator('#shown').getAttribute('style');
  assert.ok(style.includes(shown[1].image), 'the replayed canvas shows its last frame');
  assert.ok(!(await replay.locator('#in-masked').getAttribute('style') ?? '').includes('data:image/'), 'the masked canvas shows nothing');
  await Promise.all([viewer.close(), page.close(), popup.close()]);
});
