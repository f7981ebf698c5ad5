// States no attribute shows: what the pointer is over (`:hover`), what it
// presses (`:active`) and what has focus (`:focus`, `:focus-visible`,
// `:focus-within`) replay as they were, a hover menu open, a focus ring
// drawn, a pressed button.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, eventually, untilRecorded } from './harness.mjs';

const env = testEnvironment({});

/** The styles the states give, in `doc`. */
const stateFacts = (doc) => {
  const style = (selector, property) => getComputedStyle(doc.querySelector(selector)).getPropertyValue(property);
  return {
    button: style('#go', 'background-color'),
    outline: style('#name', 'outline-color'),
    form: style('form', 'background-color'),
    menu: style('.menu', 'display'),
  };
};

test('hover and focus replay: a hovered button, a focus ring, a form with focus inside, a menu shown on hover', async () => {
  const { page, popup } = await startRecording(env, '/states.html');
  await page.bringToFront();
  await page.locator('#name').click();
  await page.locator('#nav span').hover();
  await page.locator('#go').hover();
  const live = await page.evaluate(`(${stateFacts})(document)`);
  assert.deepEqual(live, { button: 'rgb(200, 0, 0)', outline: 'rgb(0, 0, 200)', form: 'rgb(230, 255, 230)', menu: 'none' });
  // The menu showed on hover before the pointer moved on.
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  assert.ok(bundle.events.some((e) => e.type === 'mutation' && (e.attrs ?? []).some((a) => a.name === 'data-repro-hover')), 'the pointer is recorded');

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('#go').waitFor();
  await viewer.evaluate(() => {
    const timeline = document.getElementById('timeline');
    timeline.value = timeline.max;
    timeline.dispatchEvent(new Event('input'));
  });
  const replayed = await eventually(
    () => viewer.locator('#replay').evaluate((frame, source) => (0, eval)(`(${source})`)(frame.contentDocument), stateFacts.toString()),
    (facts) => JSON.stringify(facts) === JSON.stringify(live));
  assert.deepEqual(replayed, live, 'the replay shows the states the page showed at the end');
  await viewer.close();
});

test('a pressed button replays pressed while it was, and released after', async () => {
  const { page, tabId, popup } = await startRecording(env, '/states.html');
  await page.bringToFront();
  await page.locator('#go').hover();
  await page.mouse.down();
  const pressed = await page.evaluate(() => [getComputedStyle(document.getElementById('go')).backgroundColor,
    getComputedStyle(document.querySelector('form')).borderTopColor]);
  assert.deepEqual(pressed, ['rgb(0, 120, 0)', 'rgb(250, 150, 0)'], 'live: the button and its form are :active');
  await untilRecorded(env.browser.worker, tabId, (r) => r.events.some((e) => (e.attrs ?? []).some((a) => a.name === 'data-repro-active')), 'the press');
  await page.mouse.up();
  await untilRecorded(env.browser.worker, tabId, (r) => r.events.some((e) => (e.attrs ?? []).some((a) => a.name === 'data-repro-active' && a.value === null)), 'the release');
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const press = bundle.events.find((e) => (e.attrs ?? []).some((a) => a.name === 'data-repro-active' && a.value !== null));

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  await viewer.frameLocator('#replay').locator('#go').waitFor();
  const at = (t) => viewer.evaluate((t) => {
    const timeline = document.getElementById('timeline');
    timeline.value = t;
    timeline.dispatchEvent(new Event('input'));
  }, t);
  const colours = () => viewer.locator('#replay').evaluate((frame) => [getComputedStyle(frame.contentDocument.getElementById('go')).backgroundColor,
    getComputedStyle(frame.contentDocument.querySelector('form')).borderTopColor]);
  await at(press.t + 1);
  assert.deepEqual(await eventually(colours, (c) => c[0] === pressed[0]), pressed, 'pressed at the moment of the press');
  await at(bundle.duration_ms);
  const released = await eventually(colours, (c) => c[0] !== pressed[0]);
  assert.equal(released[0], 'rgb(200, 0, 0)', 'hovered, no longer pressed, at the end');
  await viewer.close();
});
