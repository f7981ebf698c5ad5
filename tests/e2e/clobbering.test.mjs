// DOM clobbering: a form control named like a DOM property (`<input
// name="tagName">`) shadows that property on its form, and named images and
// forms shadow the document's own (`document.title`, `document.URL`, …).
// The recorder reads every DOM fact through the prototypes, so a page full
// of them records and replays whole, on both builds of the recorder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testEnvironment, startRecording, stopAndShare, nodesOf, markElement } from './harness.mjs';

const env = testEnvironment({});

/** The property names the fixture's forms clobber (tests/fixtures/site/clobbered.js). */
async function clobberedNames(page) {
  // Through the prototype: the fixture's forms clobber getAttribute too.
  return page.evaluate(() => [...document.querySelectorAll('form.clobbered')]
    .map((f) => Element.prototype.getAttribute.call(f, 'data-clobbers')));
}

for (const build of ['wasm', 'js']) {
  test(`a page whose forms and images clobber DOM properties records and replays whole (${build} build)`, async () => {
    const { browser } = env;
    // The wasm2js build runs where the page's CSP forbids WebAssembly.
    const path = build === 'wasm' ? '/clobbered.html' : '/clobbered.html?strict';
    const { page, popup } = await startRecording(env, path);
    const names = await clobberedNames(page);
    assert.ok(names.length >= 40, 'the fixture clobbers many names');
    assert.equal(await page.evaluate(() => typeof document.title), 'object', 'the fixture does clobber document.title');
    await page.bringToFront();
    await page.locator('input[name="value"]').pressSequentially('typed');
    // Playwright's role and text engines read the clobbered properties
    // themselves: CSS and a plain wait instead.
    await page.locator('#change').click();
    await page.waitForFunction(() => document.getElementById('forms').textContent.includes('Added later'));
    // A mark inside a clobbered form: the picker and the selector read the form too.
    // Playwright's selector engines read the clobbered properties: the
    // paragraph is found and measured through the prototypes instead.
    const paragraph = {
      box: () => page.evaluate(() => {
        const p = Document.prototype.querySelector.call(document, 'form[data-clobbers="ownerDocument"] p');
        const { x, y, width, height } = Element.prototype.getBoundingClientRect.call(p);
        return { x, y, width, height };
      }),
      scrollIntoViewIfNeeded: () => page.evaluate(() => Element.prototype.scrollIntoView
        .call(Document.prototype.querySelector.call(document, 'form[data-clobbers="ownerDocument"] p'), { block: 'center' })),
    };
    paragraph.boundingBox = paragraph.box;
    await markElement(page, popup, paragraph, 'inside a clobbered form', 'bug', 'low');
    const matches = (selector) => page.evaluate((s) => Document.prototype.querySelectorAll.call(document, s).length, selector);
    const { href, bundle } = await stopAndShare(popup);
    await popup.close();
    assert.equal(bundle.marks.length, 1, 'the mark is saved');
    assert.equal(await matches(bundle.marks[0].selector), 1, `the mark's selector ${bundle.marks[0].selector} matches one element`);
    const markedText = await page.evaluate((s) => Object.getOwnPropertyDescriptor(Node.prototype, 'textContent').get
      .call(Document.prototype.querySelector.call(document, s)), bundle.marks[0].selector);
    assert.equal(markedText, 'After ownerDocument', 'the mark is on the element picked');
    await page.close();

    assert.equal(bundle.environment.recorder_build, build);
    assert.equal(bundle.pages[0].title, 'Clobbered forms', 'the title is read through the prototype, past the image named title');
    const snapshot = bundle.events.find((e) => e.type === 'snapshot');
    assert.ok(snapshot, 'the page has a snapshot');
    const texts = nodesOf(snapshot.nodes).map((n) => n.text);
    for (const name of names) assert.ok(texts.includes(`After ${name}`), `the form clobbering ${name} is in the snapshot`);
    const clobberers = nodesOf(snapshot.nodes).filter((n) => n.tag === 'input' && n.attrs.some(([k]) => k === 'name'));
    assert.equal(clobberers.length, names.length, 'every clobbering input is recorded');
    const adds = bundle.events.filter((e) => e.type === 'mutation').flatMap((e) => nodesOf(e.adds));
    assert.ok(adds.some((n) => n.text === 'Added later'), 'a clobbered form added later is recorded');
    const changes = bundle.events.filter((e) => e.type === 'mutation').flatMap((e) => e.attrs ?? []);
    assert.ok(changes.length >= names.length, `the attribute changes on clobbered forms are recorded (${changes.length})`);
    assert.ok(bundle.events.some((e) => e.type === 'input' && e.value === '*****'), 'typing in a clobbering input is recorded, masked');

    const viewer = await browser.context.newPage();
    await viewer.goto(href);
    // The replayed page clobbers Playwright's role and text engines too:
    // its text is read whole, through the replay frame's document.
    const replayText = () => viewer.locator('#replay').evaluate((frame) => frame.contentDocument?.body?.textContent ?? '');
    await viewer.waitForFunction(() => {
      const replayed = document.querySelector('#replay').contentDocument;
      return replayed && Document.prototype.querySelector.call(replayed, 'h1');
    });
    assert.match(await replayText(), /Forms that clobber the DOM/);
    const duration = Number(await viewer.locator('#timeline').getAttribute('max'));
    await viewer.locator('#timeline').fill(String(duration));
    const end = await replayText();
    for (const name of names.slice(1)) assert.ok(end.includes(`After ${name}`), `the replay shows the form clobbering ${name}`);
    assert.ok(end.includes('After tagName, changed') && end.includes('Added later'), 'the replay shows the changes');
    await viewer.close();
  });
}
