// How each recorder is started and stopped in a benchmark tab: none (the
// page's own time), rrweb (npm, pinned, served by the site) and Repro (the
// real extension, started as its popup would).
import { gzipSync } from 'node:zlib';
import { launchBrowser, configure, watchSnapshotStored, extensionStorage } from '../e2e/harness.mjs';

/**
 * Chromium with the built extension (or the one in `extension`), set up
 * for measuring: no server (recordings stop in review and are discarded)
 * and no pre-roll hook (no page but Repro's own samples carries it); with
 * `helper`, an extension page that sends Start and Stop as the popup would.
 */
export async function openBenchBrowser(options = {}) {
  const browser = await launchBrowser(options);
  await configure(browser.context, browser.id, 'http://127.0.0.1:9', 'unused', { preRoll: false });
  const helper = await browser.context.newPage();
  await helper.goto(`chrome-extension://${browser.id}/options.html`);
  return { ...browser, helper };
}

/** Name → `{ prepare?, start, stop }`, each taking `{ page, tabId, helper, worker }`. */
export const RECORDERS = {
  none: {
    start: async () => ({}),
    stop: async () => ({}),
  },
  rrweb: {
    prepare: (page) => page.addScriptTag({ url: '/rrweb.js' }),
    start: async ({ page }) => ({
      // Started from a task of the page's own, so that the long-task
      // observer sees it as the page would.
      snapshotMs: await page.evaluate(() => new Promise((resolve) => setTimeout(() => {
        window.benchEvents = [];
        const started = performance.now();
        window.benchStop = window.rrweb.record({ emit: (event) => window.benchEvents.push(event) });
        resolve(performance.now() - started);
      }, 0))),
    }),
    stop: async ({ page }) => {
      const json = await page.evaluate(() => {
        window.benchStop();
        const text = JSON.stringify(window.benchEvents);
        window.benchEvents = null;
        window.benchStop = null;
        return text;
      });
      return { gzipBytes: gzipSync(json).length };
    },
  },
  repro: {
    start: async ({ tabId, helper, worker }) => {
      // Resolves when the first chunk holding the snapshot is in extension
      // storage, with the main-thread time the recorder's walk took (the sum
      // of its slices).
      const { ready, stored } = watchSnapshotStored(worker);
      await ready;
      const pressed = Date.now();
      await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'start', tab }), tabId);
      const { at, tookMs } = await stored;
      const session = await worker.evaluate(async (tab) => JSON.parse((await chrome.storage.local.get(`session:${tab}`))[`session:${tab}`]), tabId);
      return { snapshotMs: tookMs, startToStoredMs: at - pressed, session: session.id, build: session.environment?.recorder_build };
    },
    stop: async ({ tabId, helper, worker }, started) => {
      await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
      const all = await extensionStorage(worker);
      const chunks = Object.keys(all).filter((key) => key.startsWith(`chunk:${started.session}:`)).sort().map((key) => all[key]);
      await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'discard', tab }), tabId);
      return { gzipBytes: gzipSync(`[${chunks.join(',')}]`).length };
    },
  },
};
