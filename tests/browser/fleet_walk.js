'use strict';
// fleet_walk.js: facilities staff on kiosk-hub's fleet pages, in Debian's chromium with
// JavaScript off (the pages have none). tests/system/test_hub_fleet.c sets the scene
// (backend-sim, kiosk-hub, a real kiosk with printer_sim.py as its printer, a webhook
// receiver) and runs one look:
//
//   node tests/browser/fleet_walk.js BASE NAME PASSWORD MODE OUT_DIR
//     printer  the fleet page filtered by printer problems lists entrance-1 "paper out" and
//              not hall-2; every device on the unfiltered page
//     offline  entrance-1 offline on the page filtered by offline, its device page with a
//              "went silent" history row and its open alert; screenshots of both pages at
//              1366x768 and at 390 px (fleet-*.png, device-*.png in OUT_DIR)
//     quality  a quality account is refused the fleet and device pages, and its header
//              does not offer them
//
// TAP on stdout; exit 1 on a failure.
const path = require('path');
const b = require('./lib.js');

const [base, name, password, mode, out] = process.argv.slice(2);

async function login(page) {
    await page.goto(`${base}/staff/login`);
    await page.fill('input[name="name"]', name);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForNavigation(), page.click('form:not(.logout) button[type="submit"]')]);
}

// The text of entrance-1's row on the fleet page, or null.
async function row(page, id) {
    const r = page.locator('table.fleet tbody tr', { has: page.locator(`a[href="/staff/devices/${id}"]`) });
    return (await r.count()) ? r.first().innerText() : null;
}

async function desktop(browser) {
    const context = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        deviceScaleFactor: 1,
        javaScriptEnabled: false,
        locale: 'zh-CN',
    });
    return { context, page: await context.newPage() };
}

b.main(async () => {
    const { browser, page, errors, external } = await b.launch({ js: false, width: 390, height: 844 });
    await login(page);

    if (mode === 'quality') {
        const res = await page.goto(`${base}/staff/fleet`);
        b.is(res.status(), 403, 'a quality account is refused /staff/fleet');
        const dev = await page.goto(`${base}/staff/devices/entrance-1`);
        b.is(dev.status(), 403, 'and a device page');
        b.is(await page.locator('nav a[href="/staff/fleet"]').count(), 0, 'its header offers no fleet page');
        return;
    }

    const res = await page.goto(`${base}/staff/fleet`);
    b.is(res.status(), 200, 'the fleet page opens for a facilities account');
    b.ok(await row(page, 'entrance-1'), 'entrance-1 is on it');
    b.ok(await row(page, 'hall-2'), 'so is hall-2, listed in the devices file and never seen');
    b.ok(/从未上线/.test(await row(page, 'hall-2')), 'hall-2 says never seen');

    if (mode === 'printer') {
        await page.goto(`${base}/staff/fleet?problem=printer`);
        const text = await row(page, 'entrance-1');
        b.ok(text && /缺纸/.test(text), 'filtered by printer problems: entrance-1, paper out', text);
        b.ok(text && /门诊大厅入口/.test(text), 'with its place', text);
        b.is(await row(page, 'hall-2'), null, 'and not hall-2');
        b.ok(/打印机/.test(await page.locator('#alerts').innerText()), 'the printer alert is listed open');
        await b.shot(page, path.join(out, 'fleet-printer-390.png'), { fullPage: true });
        // English, through the header's switch: back on the same filter.
        await Promise.all([page.waitForNavigation(), page.click('a.lang')]);
        b.ok(page.url().endsWith('/staff/fleet?problem=printer'), 'the language switch comes back to the filter', page.url());
        const en = await row(page, 'entrance-1');
        b.ok(en && /paper out/.test(en) && /online/.test(en), 'in English: paper out, online', en);
        await Promise.all([page.waitForNavigation(), page.click('a.lang')]);
    }

    if (mode === 'offline') {
        await page.goto(`${base}/staff/fleet?problem=offline`);
        const text = await row(page, 'entrance-1');
        b.ok(text && /离线/.test(text), 'filtered by offline: entrance-1, offline', text);
        b.is(await row(page, 'hall-2'), null, 'a device never seen is not "offline"');
        await page.goto(`${base}/staff/fleet`);
        await b.shot(page, path.join(out, 'fleet-390.png'), { fullPage: true });
        const devRes = await page.goto(`${base}/staff/devices/entrance-1`);
        b.is(devRes.status(), 200, 'the device page opens');
        const history = await page.locator('#history').innerText();
        b.ok(/离线/.test(history) && /缺纸/.test(history), 'its history shows it going silent, and the paper running out', history);
        b.ok(/设备离线/.test(await page.locator('#alerts').innerText()), 'and the open alert');
        b.is(await page.locator('nav a[aria-current="page"]').getAttribute('href'), '/staff/fleet',
            'the header marks the devices tab on a device page');
        await b.shot(page, path.join(out, 'device-390.png'), { fullPage: true });
        const before = errors.length;
        const missing = await page.goto(`${base}/staff/devices/no-such-device`);
        b.is(missing.status(), 404, 'a device not in the devices file is 404');
        errors.splice(before); // the browser's own note of that 404

        const d = await desktop(browser);
        const cookies = await page.context().cookies();
        await d.context.addCookies(cookies.map((c) => ({ ...c, secure: false })));
        await d.page.goto(`${base}/staff/fleet`);
        await b.shot(d.page, path.join(out, 'fleet-1366.png'), { fullPage: true });
        await d.page.goto(`${base}/staff/devices/entrance-1`);
        await b.shot(d.page, path.join(out, 'device-1366.png'), { fullPage: true });
        await d.context.close();
    }
    b.is(errors, [], 'no errors in the pages');
    b.is(external, [], 'nothing asked of another machine');
});
