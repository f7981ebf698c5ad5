// How big a report gets: each page is recorded for RECORD_S seconds by the
// real extension and shared to a real server (SQLite + files); then the
// server's data folder is read: the stored bundle (gzip, as kept), the
// page assets it stored (each once), and of the bundle, the canvas and
// video frames.
//
//   node bench/report_sizes.mjs      (from `tests/`, after `cargo xtask build`
//                                     and `cargo build -p repro-server`)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startFixtureSite, startReproServer, launchBrowser, configure, startRecording, stopAndShare } from '../e2e/harness.mjs';

const RECORD_S = 5;
const PAGES = [
  { name: 'form page', path: '/index.html' },
  { name: 'Shoelace (web components)', path: '/lib-shoelace.html' },
  { name: 'React app', path: '/lib-react.html' },
  { name: 'Chart.js (canvas, drawn once)', path: '/lib-chartjs.html' },
  { name: 'animated 2D chart (every frame)', path: '/canvas-animated.html' },
  { name: 'playing video', path: '/video.html' },
];

const sizeOf = (folder) => {
  let bytes = 0;
  let files = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const kind = statSync(path);
      if (kind.isDirectory()) walk(path);
      else { bytes += kind.size; files += 1; }
    }
  };
  try { walk(folder); } catch { /* not there: nothing stored */ }
  return { bytes, files };
};

const site = await startFixtureSite();
const browser = await launchBrowser();
const kb = (n) => (n / 1024).toFixed(1);
console.log(`| page (recorded ${RECORD_S} s) | bundle stored (gzip) | of it: pixels (frames) | assets stored |\n|---|---|---|---|`);
for (const spec of PAGES) {
  const server = await startReproServer();
  await configure(browser.context, browser.id, server.url, server.token);
  const { page, popup } = await startRecording({ site, browser }, spec.path);
  await page.bringToFront();
  await page.waitForTimeout(RECORD_S * 1000);
  const { bundle } = await stopAndShare(popup);
  await Promise.all([page.close(), popup.close()]);
  const pixels = (bundle.events ?? []).filter((e) => e.type === 'pixels');
  const pixelBytes = pixels.reduce((sum, e) => sum + e.image.length, 0);
  const bundles = sizeOf(join(server.data, 'bundles'));
  const assets = sizeOf(join(server.data, 'assets'));
  console.log(`| ${spec.name} | ${kb(bundles.bytes)} KB | ${kb(pixelBytes)} KB (${pixels.length}) | ${kb(assets.bytes)} KB (${assets.files}) |`);
  server.stop();
}
await browser.context.close();
site.close();
