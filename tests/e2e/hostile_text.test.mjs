// A page whose text is shaped against the secret detectors (1.25 MB of
// `a.a.…`, `eyJ-eyJ-…`, `sk-sk-…`, `xoxb-…`, `DE89 …`) records in bounded
// time: the recorder masks every text with the same detectors as the
// server, and they once took the square of such a run's length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, nodesOf } from './harness.mjs';

const env = testEnvironment({});

test('text shaped against the secret detectors is recorded in bounded time', async () => {
  const { page, popup } = await startRecording(env, '/hostile-text.html');
  const { bundle } = await stopAndShare(popup);
  await Promise.all([page.close(), popup.close()]);
  const snapshot = bundle.events.find((e) => e.type === 'snapshot');
  assert.ok(snapshot, 'the page has a snapshot');
  // Linear, the walk of these 1.25 MB takes some tens of milliseconds;
  // quadratic, minutes.
  assert.ok(snapshot.took_ms < 3000, `the snapshot took ${snapshot.took_ms} ms of the page's main thread`);
  const longest = Math.max(...nodesOf(snapshot.nodes).map((n) => n.text?.length ?? 0));
  assert.ok(longest >= 262144, 'the texts are recorded whole');
});
