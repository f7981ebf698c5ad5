// A linked stylesheet is copied into the recording; its relative url()s
// must keep pointing next to the stylesheet, not next to the page, or its
// icons, fonts and backgrounds go missing in the report (whose stored
// copies the replay then shows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, nodesOf } from './harness.mjs';

const env = testEnvironment({});

test("a linked stylesheet's relative url()s point next to the stylesheet in the recording and the replay", async () => {
  const { site, browser, server } = env;
  const { page, popup } = await startRecording(env, '/relative-css.html');
  const { href, bundle } = await stopAndShare(popup);
  await popup.close();
  await page.close();
  const snapshot = bundle.events.find((e) => e.type === 'snapshot');
  const link = nodesOf(snapshot.nodes).find((n) => n.tag === 'link');
  const css = Object.fromEntries(link.attrs)['data-repro-inlined-css'];
  assert.ok(css.includes(`url("${site.url}/assets/badge.svg")`), `the copy points next to the stylesheet: ${css}`);

  const viewer = await browser.context.newPage();
  await viewer.goto(href);
  const badge = viewer.frameLocator('#replay').locator('.badge');
  await badge.waitFor();
  const background = await badge.evaluate((e) => getComputedStyle(e).backgroundImage);
  const stored = bundle.assets.find((a) => a.url === `${site.url}/assets/badge.svg`);
  assert.equal(stored?.type, 'image/svg+xml', `the badge is stored with the report: ${JSON.stringify(bundle.assets)}`);
  assert.equal(background, `url("${server.url}/r/${href.split('/r/')[1]}/assets/${stored.sha256}")`, 'the replay shows the stored badge');
  await viewer.close();
});
