// The viewer's controls, as a developer uses them on a real recording: the
// speed, Skip inactivity (on by default, its stretches shown on the
// timeline), the keyboard (space, arrows, [ and ]), the address naming the
// moment once paused and Copy link to this moment, the timeline's ticks
// for errors and failed requests, the divider beside the replay (keys,
// drag, remembered) and full screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, untilRecorded } from './harness.mjs';

const env = testEnvironment({});

test('speed, skip inactivity, keyboard and links to a moment', async () => {
  const { page, tabId, popup } = await startRecording(env, '/settings.html');
  await page.bringToFront();
  await page.locator('#display-name').pressSequentially('Ada');
  // Nothing happens for four seconds: a stretch to skip.
  await page.waitForTimeout(4000);
  await page.locator('#save').click();
  await untilRecorded(env.browser.worker, tabId, (r) => r.console.some((e) => e.args[0] === 'Save failed with status 403'), 'the refused save');
  await page.waitForTimeout(500);
  const { href, bundle } = await stopAndShare(popup);
  await Promise.all([popup.close(), page.close()]);
  const click = bundle.events.find((e) => e.type === 'click' && e.label === 'Save changes');
  // (The field's `change` comes with the click that leaves it: not typing.)
  const lastTyped = Math.max(...bundle.events.filter((e) => e.type === 'input' && e.t < click.t - 1000).map((e) => e.t));

  const { context } = env.browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  const viewer = await context.newPage();
  try {
    await viewer.goto(href);
    await viewer.locator('#steps li').first().waitFor();
    const clock = async () => Number(await viewer.locator('#timeline').inputValue());
    // The timeline shows the quiet stretch, the error and the failed request.
    assert.ok(await viewer.locator('#pins .idle-span').count() >= 1, 'the skipped stretch is shown');
    assert.equal(await viewer.locator('#pins .failed-tick').count(), 1);
    assert.ok(await viewer.locator('#pins .error-tick').count() >= 1);

    // Skip inactivity (on by default): playing from just after the typing
    // jumps over the quiet stretch instead of playing it for 4 s.
    const seek = (t) => viewer.evaluate((t) => {
      const timeline = document.getElementById('timeline');
      timeline.value = String(t);
      timeline.dispatchEvent(new Event('input'));
    }, t);
    await seek(lastTyped + 600);
    await viewer.getByRole('button', { name: 'Play' }).click();
    await viewer.waitForTimeout(400);
    const skipped = await clock();
    assert.ok(skipped >= click.t - 600, `the quiet stretch was skipped: at ${skipped}, the click at ${click.t}`);
    // (It may have played to the end by now, and stopped there.)
    if (await viewer.locator('#play').textContent() === 'Pause') await viewer.locator('#play').click();
    // Space plays and pauses, also with the Play button focused.
    await seek(1000);
    await viewer.locator('#play').focus();
    await viewer.keyboard.press('Space');
    assert.equal(await viewer.locator('#play').textContent(), 'Pause', 'space played');
    await viewer.keyboard.press('Space');
    assert.equal(await viewer.locator('#play').textContent(), 'Play', 'space paused');
    // With skipping off, the same 400 ms plays 400 ms (give or take the timer).
    await viewer.getByRole('checkbox', { name: 'Skip inactivity' }).uncheck();
    await seek(lastTyped + 600);
    await viewer.keyboard.press('Space');
    await viewer.waitForTimeout(400);
    await viewer.keyboard.press('Space');
    const played = await clock() - (lastTyped + 600);
    assert.ok(played > 100 && played < 1500, `1×, not skipped: ${played} ms (typed until ${lastTyped}, clicked at ${click.t}, ${bundle.duration_ms} ms in all)`);
    // 8×: the same time plays about eight times as far.
    await viewer.getByRole('combobox', { name: 'Playback speed' }).selectOption('8×');
    await seek(lastTyped + 600);
    await viewer.keyboard.press('Space');
    await viewer.waitForTimeout(400);
    await viewer.keyboard.press('Space');
    const fast = await clock() - (lastTyped + 600);
    assert.ok(fast > played * 3, `8× plays further: ${fast} ms against ${played} ms`);

    // The keyboard: ] and [ step between moments, the arrows seek 5 s.
    await seek(lastTyped + 600);
    await viewer.locator('#replay').focus().catch(() => {});
    await viewer.locator('body').click({ position: { x: 1, y: 1 } });
    await viewer.keyboard.press(']');
    const next = await clock();
    assert.ok(next > lastTyped + 600 && next <= click.t + 200, `] goes to the next moment (the click's step or its request): ${next}`);
    await viewer.keyboard.press('[');
    assert.ok(await clock() < next, '[ goes back');
    await seek(100);
    await viewer.keyboard.press('ArrowRight');
    const right = Math.min(5100, bundle.duration_ms);
    assert.equal(await clock(), right, '→ seeks 5 s (never past the end)');
    await viewer.keyboard.press('ArrowLeft');
    assert.equal(await clock(), Math.max(0, right - 5000), '← seeks back 5 s');
    await seek(1000);

    // Paused, the address names the moment; the button copies it.
    assert.ok(viewer.url().endsWith('#t=1.0'), viewer.url());
    await viewer.getByRole('button', { name: 'Copy link to this moment' }).click();
    await viewer.getByText('Link copied.').waitFor();
    assert.equal(await viewer.evaluate(() => navigator.clipboard.readText()), `${href}#t=1.0`);
    // Each entry copies a link to its own moment, without seeking.
    const step = viewer.locator('#steps li', { hasText: 'Clicked' });
    const stepTime = bundle.events.find((e) => e.type === 'click').t;
    await step.hover();
    await step.getByRole('button', { name: /^Copy link to / }).click();
    await step.getByText('Copied').waitFor();
    const expected = `${href}#t=${Math.floor(stepTime / 1000)}.${Math.floor((stepTime % 1000) / 100)}`;
    assert.equal(await viewer.evaluate(() => navigator.clipboard.readText()), expected);
    assert.equal(await clock(), 1000, 'the link button does not seek');
    // Opened again from that link: the same moment.
    const again = await context.newPage();
    await again.goto(`${href}#t=1.0`);
    await again.locator('#steps li').first().waitFor();
    assert.equal(await again.locator('#timeline').inputValue(), '1000');
    await again.close();

    // The divider between the replay and the panels: the arrows move it
    // (without seeking), the replay grows with its column, and the width is
    // remembered; dragging moves it too. (Beside each other from 1100 px.)
    await viewer.setViewportSize({ width: 1280, height: 800 });
    const divider = viewer.getByRole('separator', { name: 'Width of the replay' });
    const replayWidth = () => viewer.locator('#stage').evaluate((s) => s.getBoundingClientRect().width);
    const before = await replayWidth();
    assert.equal(await divider.getAttribute('aria-valuenow'), '60');
    await divider.focus();
    await viewer.keyboard.press('ArrowRight');
    await viewer.keyboard.press('ArrowRight');
    assert.equal(await divider.getAttribute('aria-valuenow'), '70');
    assert.equal(await clock(), 1000, 'the arrows on the divider do not seek');
    assert.ok(await replayWidth() > before + 50, `the replay grew: ${before} → ${await replayWidth()}`);
    const scaleOf = () => viewer.locator('#replay').evaluate((f) => f.style.transform);
    await viewer.keyboard.press('End');
    assert.equal(await divider.getAttribute('aria-valuenow'), '80');
    await viewer.reload();
    await viewer.locator('#steps li').first().waitFor();
    assert.equal(await divider.getAttribute('aria-valuenow'), '80', 'remembered');
    const row = await viewer.locator('#layout').boundingBox();
    const handle = await divider.boundingBox();
    await viewer.mouse.move(handle.x + handle.width / 2, handle.y + 50);
    await viewer.mouse.down();
    await viewer.mouse.move(row.x + row.width * 0.45, handle.y + 50, { steps: 4 });
    await viewer.mouse.up();
    const dragged = Number(await divider.getAttribute('aria-valuenow'));
    assert.ok(dragged >= 43 && dragged <= 47, `dragged to about 45 %: ${dragged}`);

    // Full screen: the replay and its controls fill the screen, the replay
    // is fitted again, and F (or the button) leaves.
    const scaleBefore = await scaleOf();
    await viewer.getByRole('button', { name: 'Full screen' }).click();
    await viewer.waitForFunction(() => document.fullscreenElement?.id === 'player-column');
    await viewer.getByRole('button', { name: 'Leave full screen' }).waitFor();
    await viewer.waitForFunction((s) => document.getElementById('replay').style.transform !== s, scaleBefore);
    await viewer.keyboard.press('f');
    await viewer.waitForFunction(() => document.fullscreenElement === null);
    await viewer.getByRole('button', { name: 'Full screen' }).waitFor();
  } finally {
    await viewer.close();
  }
});
