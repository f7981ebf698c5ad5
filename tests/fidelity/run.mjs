// Replays judged from outside, side by side with rrweb: each fixture page is
// recorded by the real extension and by rrweb 2.2.2 (npm, pinned) in the
// same tab at once; just before Stop the live page is captured; then
// Repro's replay (the real viewer, sought to the end) and rrweb's (its
// Replayer, paused at the end) are captured at the same size, and each is
// compared with the live page, pixel by pixel and by visible text.
//
//   node fidelity/run.mjs [--only=NAME]      (from `tests/`; after `cargo xtask build`
//                                             and `cargo build -p repro-server`)
//
// A pixel differs when a colour channel differs by more than
// CHANNEL_TOLERANCE (anti-aliasing passes, a changed text or box does not).
// Writes `fidelity/results.json`, the captures under `target/fidelity/`
// (to look at), and prints a table. Masked form values
// differ on purpose in both replays (rrweb runs with `maskAllInputs`, as
// Repro masks every input by default); the pages here type nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT, startFixtureSite, startReproServer, launchBrowser, configure, startRecording, stopAndShare,
} from '../e2e/harness.mjs';
import { PAGES } from './pages.mjs';

const CHANNEL_TOLERANCE = 40;
const VIEWPORT = { width: 1000, height: 700 };
const RRWEB = readFileSync(join(ROOT, 'tests', 'node_modules', 'rrweb', 'dist', 'rrweb.umd.min.cjs'), 'utf8');
const RRWEB_CSS = readFileSync(join(ROOT, 'tests', 'node_modules', 'rrweb', 'dist', 'style.css'), 'utf8');

const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
const site = await startFixtureSite();
const server = await startReproServer();
const browser = await launchBrowser();
await configure(browser.context, browser.id, server.url, server.token, { preRoll: false });
const env = { site, server, browser };

/** Visible text of a document, whitespace folded. */
const visibleText = (doc) => (doc.body?.innerText ?? '').replace(/\s+/g, ' ').trim();

/** Record `spec` with both recorders; the live capture, rrweb's events and Repro's link. */
async function record(spec) {
  const page = await browser.context.newPage();
  await page.setViewportSize(VIEWPORT);
  await page.goto(site.url + spec.path);
  await page.waitForLoadState('load');
  await page.addScriptTag({ content: RRWEB });
  await page.evaluate(() => {
    window.rrwebEvents = [];
    window.rrwebStop = window.rrweb.record({ emit: (event) => window.rrwebEvents.push(event), maskAllInputs: true });
  });
  const { popup } = await startRecording(env, spec.path, page);
  await page.bringToFront();
  await page.waitForTimeout(300);
  if (spec.act) await spec.act(page);
  await page.waitForTimeout(800);
  const live = await page.screenshot();
  const liveText = await page.evaluate(`(${visibleText})(document)`);
  const events = await page.evaluate(() => { window.rrwebStop(); return JSON.stringify(window.rrwebEvents); });
  const { href } = await stopAndShare(popup);
  await Promise.all([popup.close(), page.close()]);
  return { live, liveText, events, href };
}

/** Repro's replay at its end: the capture of the replayed page and its text. */
async function reproReplay(href) {
  const viewer = await browser.context.newPage();
  await viewer.setViewportSize({ width: 2000, height: 1200 });
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('body').waitFor();
  // The replay's frame at the window's corner, unscaled and without
  // borders: captured exactly where the live page was.
  await viewer.addStyleTag({ content: `#pointer { display: none !important; }
    #replay { position: fixed !important; left: 0 !important; top: 0 !important; transform: none !important; z-index: 2147483647; }` });
  await viewer.evaluate(() => {
    const timeline = document.getElementById('timeline');
    timeline.value = timeline.max;
    timeline.dispatchEvent(new Event('input'));
  });
  await viewer.waitForTimeout(800);
  const frame = viewer.locator('#replay');
  const shot = await viewer.screenshot({ clip: { x: 0, y: 0, ...VIEWPORT } });
  const text = await frame.evaluate((iframe, source) => (0, eval)(`(${source})`)(iframe.contentDocument), visibleText.toString());
  await viewer.close();
  return { shot, text };
}

/** rrweb's replay of `events` paused at the end: its capture and text. */
async function rrwebReplay(events) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 2000, height: 1200 });
  await page.setContent(`<!DOCTYPE html><html><head><style>${RRWEB_CSS}
    body { margin: 0; } .replayer-mouse, .replayer-mouse-tail { display: none !important; }
    .replayer-wrapper { position: fixed !important; left: 0; top: 0; transform: none !important; }
    .replayer-wrapper iframe { border: 0 !important; }</style></head><body></body></html>`);
  await page.addScriptTag({ content: RRWEB });
  await page.evaluate((json) => {
    const list = JSON.parse(json);
    const replayer = new window.rrweb.Replayer(list, { root: document.body, mouseTail: false, showWarning: false });
    const end = list[list.length - 1].timestamp - list[0].timestamp;
    // Past the last event: rrweb applies the events strictly before the offset.
    replayer.pause(end + 100);
  }, events);
  await page.waitForTimeout(800);
  const frame = page.locator('.replayer-wrapper iframe');
  const shot = await page.screenshot({ clip: { x: 0, y: 0, ...VIEWPORT } });
  const text = await frame.evaluate((iframe, source) => (0, eval)(`(${source})`)(iframe.contentDocument), visibleText.toString());
  await page.close();
  return { shot, text };
}

/** The share of `live`'s pixels that `replay` shows differently (a size mismatch counts as different). */
async function differingShare(live, replay) {
  const page = await browser.context.newPage();
  const share = await page.evaluate(async ([a, b, tolerance]) => {
    const decode = async (base64) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      context.drawImage(bitmap, 0, 0);
      return { width: bitmap.width, height: bitmap.height, data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
    };
    const [x, y] = [await decode(a), await decode(b)];
    const width = Math.min(x.width, y.width);
    const height = Math.min(x.height, y.height);
    let differing = x.width * x.height - width * height;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const i = (row * x.width + col) * 4;
        const j = (row * y.width + col) * 4;
        if (Math.abs(x.data[i] - y.data[j]) > tolerance || Math.abs(x.data[i + 1] - y.data[j + 1]) > tolerance
          || Math.abs(x.data[i + 2] - y.data[j + 2]) > tolerance) differing++;
      }
    }
    return differing / (x.width * x.height);
  }, [live.toString('base64'), replay.toString('base64'), CHANNEL_TOLERANCE]);
  await page.close();
  return share;
}

const results = [];
for (const spec of PAGES.filter((p) => !only || p.name === only)) {
  try {
    const recorded = await record(spec);
    const repro = await reproReplay(recorded.href);
    // rrweb may fail to record or replay a page at all: then its replay
    // shows nothing of it.
    const rrweb = await rrwebReplay(recorded.events).catch((error) => ({ failed: String(error).split('\n')[0] }));
    const captures = join(ROOT, 'target', 'fidelity');
    mkdirSync(captures, { recursive: true });
    const file = spec.name.replace(/[^a-z0-9]+/gi, '-');
    writeFileSync(join(captures, `${file}.live.png`), recorded.live);
    writeFileSync(join(captures, `${file}.repro.png`), repro.shot);
    if (rrweb.shot) writeFileSync(join(captures, `${file}.rrweb.png`), rrweb.shot);
    const row = {
      page: spec.name,
      path: spec.path,
      repro: await differingShare(recorded.live, repro.shot),
      rrweb: rrweb.shot ? await differingShare(recorded.live, rrweb.shot) : 1,
      reproText: repro.text === recorded.liveText,
      rrwebText: rrweb.text === recorded.liveText,
      ...(rrweb.failed ? { rrwebFailed: rrweb.failed } : {}),
      ...(spec.expected ? { expected: spec.expected } : {}),
    };
    results.push(row);
    console.log(`${spec.name}: Repro ${(row.repro * 100).toFixed(2)} % differ (text ${row.reproText ? 'same' : 'differs'}), rrweb ${(row.rrweb * 100).toFixed(2)} % (text ${row.rrwebText ? 'same' : 'differs'})${row.rrwebFailed ? `; rrweb failed: ${row.rrwebFailed}` : ''}`);
  } catch (error) {
    results.push({ page: spec.name, path: spec.path, error: String(error).slice(0, 300) });
    console.log(`${spec.name}: failed: ${String(error).slice(0, 300)}`);
  }
}
const within = (share) => share !== undefined && share <= 0.01;
console.log('\n| page | Repro: pixels differing | rrweb: pixels differing | Repro text | rrweb text | why |\n|---|---|---|---|---|---|');
for (const r of results) {
  if (r.error) { console.log(`| ${r.page} | failed | | | | ${r.error.split('\n')[0]} |`); continue; }
  const why = [r.expected, r.rrwebFailed && `rrweb: ${r.rrwebFailed}`].filter(Boolean).join('; ');
  console.log(`| ${r.page} | ${(r.repro * 100).toFixed(2)} %${within(r.repro) ? '' : ' ✗'} | ${(r.rrweb * 100).toFixed(2)} %${within(r.rrweb) ? '' : ' ✗'} | ${r.reproText ? 'same' : 'differs'} | ${r.rrwebText ? 'same' : 'differs'} | ${why} |`);
}
const met = results.filter((r) => !r.error && within(r.repro) && r.repro <= r.rrweb + 0.001).length;
console.log(`\nRepro within 1 % and no worse than rrweb on ${met} of ${results.length} pages; rrweb within 1 % on ${results.filter((r) => within(r.rrweb)).length}.`);
if (!only) {
  writeFileSync(join(ROOT, 'tests', 'fidelity', 'results.json'), `${JSON.stringify({
    command: 'node fidelity/run.mjs (from tests/)', at: new Date().toISOString(), tolerance: CHANNEL_TOLERANCE, viewport: VIEWPORT, results,
  }, null, 2)}\n`);
}
await browser.context.close();
server.stop();
site.close();
