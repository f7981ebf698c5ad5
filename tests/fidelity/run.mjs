// Replays judged from outside, side by side with rrweb: each fixture page is
// recorded by the real extension and by rrweb 2.2.2 (npm, pinned) in the
// same tab at once; just before Stop the live page is captured; then
// Repro's replay (the real viewer, sought to the end) and rrweb's (its
// Replayer, paused at the end) are captured at the same size, and each is
// compared with the live page, pixel by pixel and by visible text.
//
//   node fidelity/run.mjs [--only=NAME,…]    (from `tests/`; after `cargo xtask build`
//                                             and `cargo build -p repro-server`)
//
// A pixel differs when a colour channel differs by more than
// CHANNEL_TOLERANCE (anti-aliasing passes, a changed text or box does not).
// Writes `fidelity/results.json`, the captures under `target/fidelity/`
// (to look at), and prints a table. Masked form values
// differ on purpose in both replays (rrweb runs with `maskAllInputs`, as
// Repro masks every input by default); the pages here type nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startFixtureSite, startReproServer, launchBrowser, configure } from '../e2e/harness.mjs';
import { CHANNEL_TOLERANCE, VIEWPORT, measurePage } from './measure.mjs';
import { PAGES } from './pages.mjs';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const site = await startFixtureSite();
const server = await startReproServer();
const browser = await launchBrowser();
// As a tester has it by default: the page hook is there from each page's start.
await configure(browser.context, browser.id, server.url, server.token);
const env = { site, server, browser };

const results = [];
for (const spec of PAGES.filter((p) => !only || only.includes(p.name))) {
  try {
    const row = await measurePage(env, spec);
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
