// The pages the fidelity suite records, each with what a tester does on it
// before Stop (`act`, given the Playwright page), what Repro shows
// differently on purpose (`expected`: its privacy defaults), and a bar
// other than 1 % of pixels where a known gap stands (`limit`, with its
// issue).
export const PAGES = [
  { name: 'form page', path: '/index.html' },
  { name: 'second page', path: '/second.html' },
  { name: 'marks page', path: '/marks.html', expected: 'Repro masks the email in the text by default' },
  { name: 'long texts', path: '/long-texts.html' },
  { name: 'clobbering form', path: '/clobbered.html', act: (page) => page.locator('#change').click() },
  { name: 'web components', path: '/shadow.html', act: (page) => page.locator('#change').click(), expected: 'Repro masks the text of the component under a masked element' },
  { name: 'modal dialog', path: '/dialog.html', act: (page) => page.locator('#ask').click() },
  { name: 'popover', path: '/popover.html', act: (page) => page.locator('#info').click() },
  { name: 'CSS-in-JS', path: '/css-in-js.html', act: (page) => page.locator('#theme').click() },
  { name: 'select', path: '/select.html', expected: 'Repro masks the choice of the select not marked safe to record' },
  { name: 'values set by script', path: '/script-values.html', act: (page) => page.locator('#fill').click(), expected: 'both mask every input value (rrweb with maskAllInputs)' },
  { name: 'SVG sprite', path: '/svg-sprite.html' },
  { name: 'quirks mode', path: '/quirks.html' },
  { name: 'relative url() in CSS', path: '/relative-css.html' },
  { name: 'canvas', path: '/canvas.html', expected: 'rrweb records canvas pixels only with its recordCanvas option, off by default' },
  { name: 'WebGL', path: '/webgl.html', expected: 'Repro shows the tab\'s own pixels where WebGL cannot be read back; rrweb records canvas pixels only with its recordCanvas option, off by default' },
  { name: 'playing video', path: '/video.html', expected: 'Repro records the frames a video shows; rrweb records none' },
  { name: 'same-origin iframe', path: '/iframe-host.html', act: (page) => page.locator('#add-frame').click() },
  { name: 'iframe of another origin', path: '/cross-origin-host.html', act: (page) => page.frameLocator('#card-frame').locator('#check').click(), expected: 'Repro masks the text of the frame under a masked element' },
  { name: 'hover and focus', path: '/states.html', act: async (page) => { await page.locator('#name').click(); await page.locator('#go').hover(); } },
  { name: 'text selection', path: '/selection.html', act: (page) => page.locator('#first').click({ clickCount: 3 }) },
  // Dragged across the text of a closed shadow root (the document sees the selection retargeted to the host).
  // (A bar of its own: the selection alone is 0.8 % of the page, and the
  // closed root on a plain element, attached before Start, the rest.)
  { name: 'selection in a shadow root', path: '/selection-shadow.html', limit: 0.003, act: async (page) => {
    const box = await page.locator('#closed-line').boundingBox();
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 260, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
  } },
  { name: 'full screen', path: '/fullscreen.html', act: (page) => page.locator('#present').click() },
  { name: 'adopted stylesheets', path: '/adopted-sheets.html', act: async (page) => { await page.locator('#restyle').click(); await page.locator('#grow').click(); } },
  // Real libraries, from npm.
  { name: 'Shoelace (web components)', path: '/lib-shoelace.html', act: async (page) => { await page.locator('#billing-tab').click(); await page.locator('#advanced').click(); } },
  { name: 'React app', path: '/lib-react.html', act: async (page) => {
    await page.locator('#title').fill('Call the bank');
    await page.locator('#add').click();
    await page.locator('li input[type=checkbox]').first().click();
    await page.locator('#archive').click();
  } },
  { name: 'ApexCharts (SVG)', path: '/lib-apexcharts.html' },
  { name: 'Chart.js (canvas)', path: '/lib-chartjs.html', expected: 'rrweb records canvas pixels only with its recordCanvas option, off by default' },
  // What rrweb's own test pages try.
  { name: 'patched DOM', path: '/patched-dom.html', act: (page) => page.locator('#add').click() },
  { name: 'odd markup', path: '/odd-markup.html' },
  { name: 'blob: image', path: '/blob-image.html', expected: 'Repro records a picture made from a blob as its pixels; rrweb keeps the dead blob: address', limit: 0.02 },
  { name: '@import', path: '/css-import.html' },
  { name: 'controls', path: '/controls.html', act: async (page) => {
    await page.locator('#more summary').click();
    await page.locator('#plan-b').check();
    await page.locator('#volume').fill('80');
    await page.locator('#scroller').evaluate((e) => { e.scrollTop = 120; });
  } },
];
