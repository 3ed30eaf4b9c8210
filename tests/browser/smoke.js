'use strict';
// smoke.js: tests/browser/lib.js against the small site test_browser_smoke.sh serves: with
// JavaScript on and off, open the form at a phone's size, tap a radio, submit, and land on the
// thank-you page; live text changes only with JavaScript; nothing leaves the machine.
// Usage: node tests/browser/smoke.js BASE_URL OUT_DIR   (TAP on stdout; exit 1 on a failure)
const path = require('path');
const b = require('./lib.js');

const [base, out] = process.argv.slice(2);
if (!base || !out) {
    process.stderr.write('usage: node tests/browser/smoke.js BASE_URL OUT_DIR\n');
    process.exit(2);
}

async function walk(js, browser) {
    const mode = js ? 'JavaScript on' : 'JavaScript off';
    const phone = await b.launch({ js, browser });
    const { page, errors, external } = phone;
    const res = await page.goto(`${base}/index.html`);
    b.is(res.status(), 200, `${mode}: the form page answers 200`);
    b.is(
        await page.evaluate(() => [window.innerWidth, window.devicePixelRatio, navigator.maxTouchPoints > 0]),
        [b.WIDTH, 2, true],
        `${mode}: a ${b.WIDTH} px wide touch screen at 2x`,
    );
    b.ok(/MicroMessenger\/8\.0/.test(await page.evaluate(() => navigator.userAgent)), `${mode}: WeChat's user agent`);
    b.is(await page.textContent('#mode'), js ? 'script ran' : 'no script', `${mode}: the same-origin script ${js ? 'ran' : 'did not run'}`);
    if (js) {
        await b.step(`${mode}: the live line changes without a reload (waitFor)`, () =>
            b.waitFor(async () => (await page.textContent('#live')) === 'updated', 5000),
        );
    } else {
        await new Promise((r) => setTimeout(r, 400));
        b.is(await page.textContent('#live'), 'waiting', `${mode}: the live line stays as served`);
    }
    await page.tap('label[for="s4"]');
    b.ok(await page.isChecked('#s4'), `${mode}: tapping a face's label checks its radio`);
    await b.shot(page, path.join(out, `form-${js ? 'js' : 'nojs'}.png`));
    const size = b.pngSize(path.join(out, `form-${js ? 'js' : 'nojs'}.png`));
    b.is([size.width, size.height], [2 * b.WIDTH, 2 * b.HEIGHT], `${mode}: the screenshot is ${2 * b.WIDTH}x${2 * b.HEIGHT}`);
    await Promise.all([page.waitForURL(/\/thanks\.html\?/), page.click('button[type="submit"]')]);
    const query = new URL(page.url()).searchParams;
    b.is(query.get('score'), '4', `${mode}: the form sent score=4`);
    b.is(query.get('js'), js ? '1' : null, `${mode}: ${js ? 'the script added its field' : 'a plain form submit, nothing added'}`);
    b.ok((await page.textContent('h1')).includes('Thank you'), `${mode}: the thank-you page`);
    await page.goto(`${base}/external.html`);
    await page.waitForLoadState('load');
    b.ok(external.some((u) => u.startsWith('http://example.com/')), `${mode}: a request off this machine is seen`, external.join(' '));
    b.is(
        await page.evaluate(() => document.getElementById('pixel').naturalWidth),
        0,
        `${mode}: and fails (no host name but localhost resolves)`,
    );
    b.is(errors.filter((e) => !/ERR_NAME_NOT_RESOLVED/.test(e)), [], `${mode}: no page errors`);
    await phone.context.close();
    return phone.browser;
}

// One chromium, a context for each mode.
b.main(async () => {
    const browser = await walk(true);
    await walk(false, browser);
}, { timeout: 90000 });
