// A recording becomes steps a person can follow: the field typed into and
// the button clicked, named as a person names them, repeated clicks
// folded, each step a moment of the replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, untilRecorded } from './harness.mjs';

const env = testEnvironment({});

test('the viewer lists the steps: typed into "Display name", checked the newsletter, clicked "Save changes" 3×', async () => {
  const { page, tabId, popup } = await startRecording(env, '/settings.html');
  await page.bringToFront();
  await page.locator('#display-name').pressSequentially('Grace Hopper');
  await page.locator('#newsletter').check();
  for (let i = 0; i < 3; i++) await page.locator('#save').click();
  await untilRecorded(env.browser.worker, tabId, (r) => r.events.filter((e) => e.type === 'click').length >= 3, 'the three clicks');
  const { href, bundle } = await stopAndShare(popup);
  await Promise.all([page.close(), popup.close()]);
  const clicks = bundle.events.filter((e) => e.type === 'click');
  assert.deepEqual(clicks.map((e) => e.label), ['Email me the newsletter', 'Save changes', 'Save changes', 'Save changes'], 'each click names its control (a button by its text, not its icon)');
  assert.ok(!JSON.stringify(bundle.events).includes('Grace Hopper'), 'what was typed stays masked');

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  const steps = viewer.locator('#steps li .message');
  await steps.first().waitFor();
  const lines = await steps.allTextContents();
  assert.deepEqual(lines.slice(1), [
    'Entered 12 characters into \u201cDisplay name\u201d',
    'Checked \u201cEmail me the newsletter\u201d',
    'Clicked \u201cSave changes\u201d 3×',
  ], lines.join('\n'));
  assert.match(lines[0], /^Opened http:\/\/127\.0\.0\.1:\d+\/settings\.html$/);
  // A step is a moment of the replay.
  await viewer.locator('#steps li', { hasText: 'Clicked' }).click();
  const clock = await viewer.locator('#timeline').inputValue();
  assert.equal(Number(clock), clicks.find((e) => e.label === 'Save changes').t, 'clicking the step seeks to its first click');
  await viewer.close();
});
