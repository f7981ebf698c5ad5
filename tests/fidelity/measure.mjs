// Measuring one page for the fidelity suite (see `run.mjs`): recorded by
// Repro and rrweb at once, both replays captured at the end and compared
// with the live page. Used by `run.mjs` (the table, the results file) and
// by `e2e/fidelity_suite.test.mjs` (the bar each page must keep).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startRecording, stopAndShare } from '../e2e/harness.mjs';

/** A pixel differs when a colour channel differs by more than this. */
export const CHANNEL_TOLERANCE = 40;
/** The live page's size, and so each capture's. */
export const VIEWPORT = { width: 1000, height: 700 };
const RRWEB = readFileSync(join(ROOT, 'tests', 'node_modules', 'rrweb', 'dist', 'rrweb.umd.min.cjs'), 'utf8');
const RRWEB_CSS = readFileSync(join(ROOT, 'tests', 'node_modules', 'rrweb', 'dist', 'style.css'), 'utf8');

/** Visible text of a document, whitespace folded. */
const visibleText = (doc) => (doc.body?.innerText ?? '').replace(/\s+/g, ' ').trim();

/**
 * The boxes, in `doc`'s viewport, of what Repro masked on purpose: text
 * and field values that are runs of stars (`*`, one per character), in
 * the document, its shadow roots and its frames. The issue's measure:
 * "mask those areas in both images".
 */
const maskedBoxes = (doc) => {
  const boxes = [];
  const starred = (text) => /\*{3,}/.test(text ?? '');
  const visit = (root, dx, dy) => {
    const walker = root.ownerDocument
      ? root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT)
      : root.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    const add = (rect) => { if (rect.width > 0 && rect.height > 0) boxes.push({ x: rect.left + dx, y: rect.top + dy, w: rect.width, h: rect.height }); };
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (starred(node.data)) {
          const range = node.ownerDocument.createRange();
          range.selectNodeContents(node);
          for (const rect of range.getClientRects()) add(rect);
        }
        continue;
      }
      if ((node.localName === 'input' || node.localName === 'textarea') && starred(node.value)) add(node.getBoundingClientRect());
      if (node.shadowRoot) visit(node.shadowRoot, dx, dy);
      if (node.localName === 'iframe' && node.contentDocument?.documentElement) {
        const frame = node.getBoundingClientRect();
        visit(node.contentDocument.documentElement, dx + frame.left + node.clientLeft, dy + frame.top + node.clientTop);
      }
    }
  };
  if (doc.documentElement) visit(doc.documentElement, 0, 0);
  return boxes;
};

/**
 * Whether `replay` shows `live`'s text, where a star (Repro's mask, one per
 * character) stands for any one character.
 */
const sameTextMasked = (live, replay) => live === replay
  || (live.length === replay.length && [...replay].every((c, i) => c === '*' || c === live[i]));

/** Record `spec` with both recorders; the live capture, rrweb's events and Repro's link. */
async function record(env, spec) {
  const { site, browser } = env;
  const page = await browser.context.newPage();
  await page.setViewportSize(VIEWPORT);
  await page.goto(site.url + spec.path);
  await page.waitForLoadState('load');
  await page.addScriptTag({ content: RRWEB });
  await page.evaluate(() => {
    window.rrwebEvents = [];
    // A page may break rrweb's recorder (it uses the page's own DOM functions).
    try {
      window.rrwebStop = window.rrweb.record({ emit: (event) => window.rrwebEvents.push(event), maskAllInputs: true });
    } catch (error) {
      window.rrwebFailed = `rrweb could not record: ${error}`;
    }
  });
  const { popup } = await startRecording(env, spec.path, page);
  await page.bringToFront();
  await page.waitForTimeout(300);
  if (spec.act) await spec.act(page);
  await page.waitForTimeout(800);
  const live = await page.screenshot();
  const liveText = await page.evaluate(`(${visibleText})(document)`);
  const events = await page.evaluate(() => {
    if (window.rrwebFailed) return window.rrwebFailed;
    window.rrwebStop?.();
    return JSON.stringify(window.rrwebEvents);
  });
  const { href } = await stopAndShare(popup);
  await Promise.all([popup.close(), page.close()]);
  return { live, liveText, events, href };
}

/** Repro's replay at its end: the capture of the replayed page and its text. */
export async function reproReplay(browser, href) {
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
  const masked = await frame.evaluate((iframe, source) => (0, eval)(`(${source})`)(iframe.contentDocument), maskedBoxes.toString());
  await viewer.close();
  return { shot, text, masked };
}

/** rrweb's replay of `events` paused at the end: its capture and text. */
async function rrwebReplay(browser, events) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 2000, height: 1200 });
  await page.setContent(`<!DOCTYPE html><html><head><style>${RRWEB_CSS}
    body { margin: 0; } .replayer-mouse, .replayer-mouse-tail { display: none !important; }
    .replayer-wrapper { position: fixed !important; left: 0; top: 0; transform: none !important; }
    .replayer-wrapper iframe { border: 0 !important; }</style></head><body></body></html>`);
  await page.addScriptTag({ content: RRWEB });
  await page.evaluate((json) => {
    if (!json.startsWith('[')) throw new Error(json);
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

/**
 * The share of `live`'s pixels that `replay` shows differently (a size
 * mismatch counts as different); pixels inside `masked` boxes (what Repro
 * masked on purpose) count as the same in every image.
 */
export async function differingShare(browser, live, replay, masked = []) {
  const page = await browser.context.newPage();
  const share = await page.evaluate(async ([a, b, tolerance, boxes]) => {
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
    const skip = new Uint8Array(width * height);
    for (const box of boxes) {
      for (let row = Math.max(0, Math.floor(box.y)); row < Math.min(height, Math.ceil(box.y + box.h)); row++) {
        skip.fill(1, row * width + Math.max(0, Math.floor(box.x)), row * width + Math.min(width, Math.ceil(box.x + box.w)));
      }
    }
    let differing = x.width * x.height - width * height;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        if (skip[row * width + col]) continue;
        const i = (row * x.width + col) * 4;
        const j = (row * y.width + col) * 4;
        if (Math.abs(x.data[i] - y.data[j]) > tolerance || Math.abs(x.data[i + 1] - y.data[j + 1]) > tolerance
          || Math.abs(x.data[i + 2] - y.data[j + 2]) > tolerance) differing++;
      }
    }
    return differing / (x.width * x.height);
  }, [live.toString('base64'), replay.toString('base64'), CHANNEL_TOLERANCE, masked]);
  await page.close();
  return share;
}


/**
 * Measure `spec` (a page of `pages.mjs`) in `env` (`{ site, server, browser }`,
 * pre-roll off): the shares of pixels each replay shows differently from
 * the live page, and whether each shows the same text. The captures go
 * under `target/fidelity/`.
 */
export async function measurePage(env, spec) {
  const { browser } = env;
  const recorded = await record(env, spec);
  const repro = await reproReplay(browser, recorded.href);
  // rrweb may fail to record or replay a page at all: then its replay
  // shows nothing of it.
  const rrweb = await rrwebReplay(browser, recorded.events).catch((error) => ({ failed: String(error).split('\n')[0] }));
  const captures = join(ROOT, 'target', 'fidelity');
  mkdirSync(captures, { recursive: true });
  const file = spec.name.replace(/[^a-z0-9]+/gi, '-');
  writeFileSync(join(captures, `${file}.live.png`), recorded.live);
  writeFileSync(join(captures, `${file}.repro.png`), repro.shot);
  if (rrweb.shot) writeFileSync(join(captures, `${file}.rrweb.png`), rrweb.shot);
  return {
    page: spec.name,
    path: spec.path,
    // What Repro masked on purpose is left out of both comparisons alike.
    repro: await differingShare(browser, recorded.live, repro.shot, repro.masked),
    rrweb: rrweb.shot ? await differingShare(browser, recorded.live, rrweb.shot, repro.masked) : 1,
    maskedBoxes: repro.masked.length,
    reproText: sameTextMasked(recorded.liveText, repro.text),
    rrwebText: rrweb.text === recorded.liveText,
    ...(rrweb.failed ? { rrwebFailed: rrweb.failed } : {}),
    ...(spec.expected ? { expected: spec.expected } : {}),
  };
}
