// Waiting, in the extension's service worker, for a recording's first
// snapshot to reach extension storage: what the benchmark's "Start pressed
// to snapshot stored" ends on, and where it reads the walk's time.

/**
 * Watch `worker` for the first stored chunk that holds a snapshot. Await
 * the result's `ready` before pressing Start; its `stored` resolves with
 * when the chunk was stored (`at`, ms since the epoch) and the snapshot's
 * `took_ms` (`tookMs`: the main-thread time of the walk's slices).
 */
export function watchSnapshotStored(worker) {
  const stored = worker.evaluate(() => new Promise((resolve) => {
    const seen = (changes) => {
      for (const [key, change] of Object.entries(changes)) {
        if (key.startsWith('chunk:') && String(change.newValue).includes('"type":"snapshot"')) {
          chrome.storage.onChanged.removeListener(seen);
          const snapshot = JSON.parse(change.newValue).events.find((e) => e.type === 'snapshot');
          resolve({ at: Date.now(), tookMs: snapshot.took_ms });
        }
      }
    };
    chrome.storage.onChanged.addListener(seen);
  }));
  // The evaluation is sent; give the listener time to be in place.
  const ready = new Promise((resolve) => setTimeout(resolve, 50));
  return { ready, stored };
}
