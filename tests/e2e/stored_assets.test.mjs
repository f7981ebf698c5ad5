// A report stores the images, backgrounds and fonts its page showed:
// recorded twice, each is stored once; its replay shows them after the
// hosts that served them are gone (the same pixels as the live page, by
// the fidelity suite's measure), and asks no other host anything meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEnvironment, startRecording, stopAndShare, configure, ROOT } from './harness.mjs';
import { VIEWPORT, reproReplay, differingShare } from '../fidelity/measure.mjs';

const env = testEnvironment({});
const PNG = readFileSync(join(ROOT, 'dist', 'chromium', 'icon-128.png'));
/** A font (Pacifico, SIL Open Font License, from npm): unmistakable beside the fallback. */
const FONT = readFileSync(join(ROOT, 'tests', 'node_modules', '@fontsource', 'pacifico', 'files', 'pacifico-latin-400-normal.woff2'));

/** A stylesheet the page cannot read (no CORS): a colour, a background and a font next to it. */
const REMOTE_CSS = `.remote-styled { color: rgb(1, 2, 3); }
.remote-bg { width: 64px; height: 64px; background: url(sheet-bg.png) 0 0 / 64px 64px; }
@font-face { font-family: "Remote Face"; src: url(face.woff2) format("woff2"); }
.remote-font { font: 28px "Remote Face", monospace; }`;

/** Another origin: serves PNGs and a stylesheet without CORS headers, a font with, and notes every request. */
async function startOrigin(port = 0) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    const path = req.url.split('?')[0];
    const [type, body] = path.endsWith('.png') ? ['image/png', PNG] : path.endsWith('.css') ? ['text/css', REMOTE_CSS]
      : path.endsWith('.woff2') ? ['font/woff2', FONT] : [null, ''];
    // A font of another origin shows only with CORS (as font hosts send it);
    // the stylesheet and the pictures come without.
    const cors = type === 'font/woff2' ? { 'access-control-allow-origin': '*' } : {};
    res.writeHead(type ? 200 : 404, { 'content-type': type ?? 'text/plain', ...cors });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  return { url: `http://127.0.0.1:${server.address().port}`, port: server.address().port, seen, close };
}

/** What the page shows of its images: each image's natural width, each box's background. */
function pictureFacts(doc = document) {
  const width = (id) => doc.getElementById(id).naturalWidth;
  const background = (id) => doc.defaultView.getComputedStyle(doc.getElementById(id)).backgroundImage;
  return {
    remote: width('remote'),
    local: width('local'),
    bg: background('bg'),
    inline: background('inline'),
    sheetBg: background('sheet-bg'),
    remoteColor: doc.defaultView.getComputedStyle(doc.getElementById('remote-text')).color,
    font: doc.fonts.check('28px "Remote Face"'),
    fontTextWidth: doc.getElementById('font-text').getBoundingClientRect().width,
  };
}

/** The replay's facts, once its images have loaded (or failed). */
async function replayedFacts(viewer) {
  await viewer.frameLocator('#replay').locator('#inline').waitFor();
  return viewer.locator('#replay').evaluate(async (iframe, source) => {
    const doc = iframe.contentDocument;
    await doc.fonts.load('28px "Remote Face"').catch(() => null);
    await Promise.all([...doc.images].map((img) => img.complete ? null : new Promise((done) => { img.onload = done; img.onerror = done; })));
    // Backgrounds: loaded once an image of the same address loads.
    const facts = (0, eval)(`(${source})`)(doc);
    for (const key of ['bg', 'inline', 'sheetBg']) {
      const url = /url\("(.*)"\)/.exec(facts[key])?.[1];
      // (Only the server's: a probe from this page would ask any other host itself.)
      if (url?.startsWith(location.origin)) await new Promise((done) => { const probe = new Image(); probe.onload = probe.onerror = done; probe.src = url; });
    }
    return facts;
  }, pictureFacts.toString());
}

test('with "Store the page\'s images" off, a report stores no image and its replay asks for none', async () => {
  const { browser, server } = env;
  const other = await startOrigin();
  await configure(browser.context, browser.id, server.url, server.token, { storeImages: false });
  try {
    const { page, popup } = await startRecording(env, `/stored-assets.html?watch=${encodeURIComponent(other.url)}`);
    await page.waitForFunction(() => [...document.images].every((img) => img.complete));
    const { href, bundle } = await stopAndShare(popup);
    await Promise.all([page.close(), popup.close()]);
    assert.deepEqual((bundle.assets ?? []).filter((a) => a.type.startsWith('image/')), [], 'no image is stored');
    const left = (bundle.skipped_assets ?? []).filter((a) => a.why === 'images_off').map((a) => a.url);
    assert.ok(left.includes(`${other.url}/logo.png`), `the images left out are listed, with why: ${JSON.stringify(bundle.skipped_assets)}`);
    other.seen.splice(0);
    const viewer = await browser.context.newPage();
    await viewer.goto(href);
    const replayed = await replayedFacts(viewer);
    await viewer.close();
    assert.deepEqual({ remote: replayed.remote, local: replayed.local }, { remote: 0, local: 0 }, 'the images show as empty space');
    assert.deepEqual(other.seen, [], 'and are not asked for');
  } finally {
    await other.close();
    await configure(browser.context, browser.id, server.url, server.token, {});
  }
});

test('the images a page showed are stored once with its reports and replay after their hosts are gone, asking no one else', async () => {
  const { browser, server, site } = env;
  const other = await startOrigin();
  let listener = null;
  let siteListener = null;
  try {
    const path = `/stored-assets.html?watch=${encodeURIComponent(other.url)}`;
    const reports = [];
    for (const take of [1, 2]) {
      const page = await browser.context.newPage();
      await page.setViewportSize(VIEWPORT);
      await page.goto(site.url + path);
      const { popup } = await startRecording(env, path, page);
      await page.bringToFront();
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      await page.evaluate(() => document.fonts.load('28px "Remote Face"'));
      const live = await page.evaluate(pictureFacts);
      live.shot = await page.screenshot();
      assert.ok(live.font, `take ${take}: the other origin's font shows live`);
      assert.equal(live.remote, 128, `take ${take}: the other origin's image shows live`);
      assert.equal(live.remoteColor, 'rgb(1, 2, 3)', "the other origin's stylesheet applies live");
      const { href, bundle } = await stopAndShare(popup);
      await Promise.all([page.close(), popup.close()]);
      reports.push({ href, bundle, live });
    }
    const { href, bundle, live } = reports[0];
    const stored = new Set(bundle.assets.map((a) => a.sha256));
    assert.ok(bundle.assets.some((a) => a.url === `${other.url}/logo.png` && a.type === 'image/png'), JSON.stringify(bundle.assets));
    assert.ok(bundle.assets.some((a) => a.url === `${site.url}/shown-image.png`), 'the page-local image too');
    assert.ok(bundle.assets.some((a) => a.url === `${other.url}/face.woff2` && a.type === 'font/woff2'), 'and the font');
    assert.deepEqual(bundle.skipped_assets, [{ url: `${other.url}/missing.gif`, why: 'unreachable' }],
      'the picture its host could not serve is listed as not stored, with why');
    assert.deepEqual(new Set(reports[1].bundle.assets.map((a) => a.sha256)), stored, 'both takes use the same assets');
    const onDisk = readdirSync(join(server.data, 'assets'));
    assert.equal(onDisk.length, stored.size, `each asset is stored once for both reports: ${onDisk}`);

    // The hosts that served the page go away; a listener takes the other origin's place.
    await other.close();
    site.close();
    listener = await startOrigin(other.port);
    // And one in the page's own origin's place (the fixture site).
    siteListener = await startOrigin(Number(new URL(site.url).port));
    const viewer = await browser.context.newPage();
    await viewer.goto(href);
    const replayed = await replayedFacts(viewer);
    const environment = await viewer.locator('#environment').innerText();
    assert.ok(environment.includes(`${other.url}/missing.gif — could not be fetched`), `the viewer names it: ${environment}`);
    assert.ok(environment.includes('Not captured\n1 page asset was not stored with the report'), `and counts it among what the report lacks: ${environment}`);
    await viewer.close();
    const { shot } = await reproReplay(browser, href);
    const share = await differingShare(browser, live.shot, shot);
    assert.ok(share <= 0.01, `the replay shows what the live page showed: ${(share * 100).toFixed(2)} % of pixels differ`);
    assert.ok(replayed.font && replayed.fontTextWidth === live.fontTextWidth, `the font replays from the stored copy: ${JSON.stringify(replayed)}`);
    const fromServer = `url("${server.url}/r/${href.split('/r/')[1]}/assets/`;
    assert.deepEqual({ remote: replayed.remote, local: replayed.local }, { remote: live.remote, local: live.local },
      'the images replay at their size from the stored copies');
    assert.ok(replayed.bg.startsWith(fromServer) && replayed.inline.startsWith(fromServer), JSON.stringify(replayed));
    assert.equal(replayed.remoteColor, live.remoteColor, "the unreadable stylesheet's rules replay");
    assert.ok(replayed.sheetBg.startsWith(fromServer), `and its background from the stored copy: ${replayed.sheetBg}`);
    assert.deepEqual(listener.seen, [], 'the replay asked the other origin nothing');
    assert.deepEqual(siteListener.seen, [], "nor the page's own origin");
  } finally {
    await other.close();
    await listener?.close();
    await siteListener?.close();
  }
});
