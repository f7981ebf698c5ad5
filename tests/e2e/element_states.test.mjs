// States no attribute shows: what the pointer is over (`:hover`) and what
// has focus (`:focus`, `:focus-visible`, `:focus-within`) replay as they
// were, a hover menu open, a focus ring drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, eventually } from './harness.mjs';

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
