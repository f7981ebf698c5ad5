// QA and developers discuss a report in one place: a developer signed in
// with an upload token comments in the viewer at the moment shown; the
// comment is listed with who wrote it, seeks the replay to its moment, and
// is a tick on the timeline; anyone with the link reads it, and without a
// sign-in the viewer says how to comment. Comments are text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, launchBrowser } from './harness.mjs';

const env = testEnvironment({});

test('a signed-in holder comments at a moment; the comment is text, seeks the replay, and anyone with the link reads it', async () => {
  const { server, browser } = env;
  const { page, popup } = await startRecording(env, '/settings.html');
  await page.bringToFront();
  await page.locator('#save').click();
  await page.waitForTimeout(1500);
  const { href, bundle } = await stopAndShare(popup);
  await Promise.all([popup.close(), page.close()]);

  // Signed out: the way to comment, and no form.
  const viewer = await browser.context.newPage();
  await viewer.goto(href);
  await viewer.getByText('No comments yet.').waitFor();
  assert.equal(await viewer.locator('#comment-form').isVisible(), false);
  await viewer.getByRole('link', { name: 'Sign in' }).waitFor();

  // Signed in (the team's page), the viewer offers the form.
  const team = await browser.context.newPage();
  await team.goto(`${server.url}/reports`);
  await team.getByLabel('Upload token').fill(server.token);
  await team.getByRole('button', { name: 'Sign in' }).click();
  await team.getByRole('table').first().waitFor();
  await team.close();
  const moment = Math.floor(bundle.duration_ms / 200) / 10;
  await viewer.goto('about:blank');
  await viewer.goto(`${href}#t=${moment}`);
  await viewer.locator('#comment-form').waitFor();
  await viewer.getByRole('textbox', { name: 'Comment' }).fill('Reproduced on staging: <img src=x onerror=alert(1)>');
  await viewer.getByRole('button', { name: 'Post comment' }).click();
  await viewer.getByText('Comment posted.').waitFor();
  const item = viewer.locator('#comments li').first();
  assert.equal(await item.locator('p').textContent(), 'Reproduced on staging: <img src=x onerror=alert(1)>', 'shown as text');
  assert.equal(await viewer.locator('#comments img').count(), 0);
  assert.match(await item.locator('.time').textContent(), new RegExp(` at 0:0${Math.floor(moment)}\\.${Math.round(moment * 10) % 10}$`));
  assert.equal(await viewer.locator('#pins .comment-tick').count(), 1, 'a tick on the timeline');
  // A click on it seeks to its moment.
  await viewer.evaluate(() => { const t = document.getElementById('timeline'); t.value = '0'; t.dispatchEvent(new Event('input')); });
  await item.click();
  assert.equal(await viewer.locator('#timeline').inputValue(), String(Math.round(moment * 1000)));

  // Anyone with the link reads it (another browser, never signed in).
  const other = await launchBrowser();
  try {
    const reader = await other.context.newPage();
    await reader.goto(href);
    await reader.locator('#comments li p').first().waitFor();
    assert.equal(await reader.locator('#comments li p').first().textContent(), 'Reproduced on staging: <img src=x onerror=alert(1)>');
    assert.equal(await reader.locator('#comment-form').isVisible(), false);
  } finally {
    await other.context.close();
  }
  await viewer.close();
});
