// Steady recording of a live page, over minutes: the live dashboard
// (`/live`: 20 cells' text and class every 100 ms, a console line a second,
// a fetch every 2 s) left alone, recorded by rrweb and recorded by Repro,
// one tab after the other. For each, after a warm-up, the page renderer's
// main-thread time per minute (DevTools `TaskDuration`) and, at the end,
// everything the recorder stored, gzipped, per minute; heap while
// recording. The ratios subtract the page's own time.
import { tabIdOf, heapMb } from '../e2e/harness.mjs';
import { RECORDERS } from './recorders.mjs';
import { busySeconds } from './main_thread.mjs';

/** Before the measure begins: the recorder has started and settled. */
const WARM_UP_MS = 5000;

/** The recorders measured, in turn. */
const ORDER = ['none', 'rrweb', 'repro'];

async function steadySample(env, recorder, { minutes, csp }) {
  const { context, worker, helper, site } = env;
  const page = await context.newPage();
  await page.goto(`${site.url}/live${csp ? '?csp' : ''}`);
  await page.bringToFront();
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('Performance.enable');
  await page.waitForTimeout(1000);
  const heapBefore = await heapMb(cdp);
  const driver = RECORDERS[recorder];
  if (driver.prepare) await driver.prepare(page);
  const ctx = { page, tabId: await tabIdOf(worker, page), helper, worker };
  const started = await driver.start(ctx);
  const startedAt = Date.now();
  await page.waitForTimeout(WARM_UP_MS);
  const busyBefore = await busySeconds(cdp);
  await page.waitForTimeout(minutes * 60_000);
  const busyMs = ((await busySeconds(cdp)) - busyBefore) * 1000;
  const heapRecordingMb = (await heapMb(cdp)) - heapBefore;
  const recordedMinutes = (Date.now() - startedAt) / 60_000;
  const stopped = await driver.stop(ctx, started);
  await cdp.detach();
  await page.close();
  return {
    recorder,
    busyMsPerMinute: busyMs / minutes,
    bytesPerMinute: stopped.gzipBytes === undefined ? undefined : stopped.gzipBytes / recordedMinutes,
    heapRecordingMb,
  };
}

/**
 * Each recorder in turn on the live page (`csp`: served with a strict CSP,
 * so Repro runs its wasm2js build), `minutes` of measure each; `progress`
 * hears what runs.
 */
export async function measureSteady(env, { minutes, csp = false, progress = () => {} }) {
  const runs = {};
  for (const recorder of ORDER) {
    progress(`live dashboard${csp ? ', strict CSP' : ''}: ${recorder}, ${minutes} min`);
    runs[recorder] = await steadySample(env, recorder, { minutes, csp });
  }
  const added = (recorder) => runs[recorder].busyMsPerMinute - runs.none.busyMsPerMinute;
  return {
    minutes,
    csp,
    runs,
    pageOwnMsPerMinute: runs.none.busyMsPerMinute,
    addedMsPerMinute: { rrweb: added('rrweb'), repro: added('repro') },
    ratios: {
      'main-thread time per minute': added('repro') / added('rrweb'),
      'stored bytes per minute': runs.repro.bytesPerMinute / runs.rrweb.bytesPerMinute,
      'heap while recording': runs.repro.heapRecordingMb / runs.rrweb.heapRecordingMb,
    },
  };
}

