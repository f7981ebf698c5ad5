// A replay never tells anyone else where it is watched from. The share
// link is the viewer's URL: a request of the replayed page that carried it
// (a `Referer`, an `Origin`) would let the recorded site or a third party
// fetch the report. The fixture page sends every kind of request to a
// second loopback listener, with every `referrerpolicy` form and a
// `<meta name="referrer" content="unsafe-url">`; the replay of it must
// load from that listener without telling it the link or the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { testEnvironment, startRecording, stopAndShare, eventually } from './harness.mjs';

const env = testEnvironment({});

/** A listener that answers every request and keeps what each one said about where it came from. */
async function startWatcher() {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url, referer: req.headers.referer ?? '', origin: req.headers.origin ?? '' });
    const types = { '.css': 'text/css', '.png': 'image/png', '.woff': 'font/woff', '.mp3': 'audio/mpeg' };
    const type = Object.entries(types).find(([ext]) => req.url.split('?')[0].endsWith(ext))?.[1] ?? 'text/plain';
    const body = type === 'text/css' ? `.from-sheet { background: url("/sheet-bg.png?from-sheet"); }` : '';
    res.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() };
}

test('a replay sends no request that names the share link, and none but CSS loads that names the server', async () => {
  const { browser, server } = env;
  const watcher = await startWatcher();
  try {
    const { page, popup } = await startRecording(env, `/referrers.html?watch=${encodeURIComponent(watcher.url)}`);
    const { href } = await stopAndShare(popup);
    await popup.close();
    await page.close();
    const live = watcher.seen.splice(0);
    assert.ok(live.some((r) => r.referer.includes('/referrers.html')), 'the live page does send its own URL (the fixture works)');

    const viewer = await browser.context.newPage();
    await viewer.goto(href);
    await viewer.frameLocator('#replay').locator('h1').waitFor();
    // Until the replay has made the loads of every kind the assertions name.
    const expectedLoads = ['img-unsafe-url', 'img-downgrade', 'img-origin', 'style-background', 'inline-style'];
    await eventually(() => watcher.seen.map((r) => r.path).join(', '), (seen) => expectedLoads.every((kind) => seen.includes(kind)), 15000);
    await viewer.close();
    const replayed = watcher.seen.splice(0);
    const paths = replayed.map((r) => r.path).join(', ');
    for (const expected of expectedLoads) {
      assert.ok(paths.includes(expected), `the replay loaded ${expected} from the listener: ${paths}`);
    }
    const said = (r) => `${r.path} ← ${r.referer || r.origin}`;
    const link = replayed.filter((r) => [r.referer, r.origin].some((v) => v.includes('/r/')));
    assert.deepEqual(link.map(said), [], 'no request of the replay named the share link');
    // Chromium sends the viewer's origin (never its path) with loads started
    // from CSS in the replay's document, whatever its referrer policy says:
    // measured, and left for the asset capture that will serve them from
    // the server itself. Every other load names nothing.
    const fromCss = ['style-background', 'inline-style', 'font-face', 'import', 'from-sheet'];
    const serverOrigin = new URL(server.url).origin;
    const origin = replayed.filter((r) => !fromCss.some((c) => r.path.includes(c)))
      .filter((r) => [r.referer, r.origin].some((v) => v.includes(serverOrigin)));
    assert.deepEqual(origin.map(said), [], 'no request but those started from CSS named the server');
  } finally {
    watcher.close();
  }
});
