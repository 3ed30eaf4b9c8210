'use strict';
// phone_walk.js: a patient's phone on kiosk-hub's pages, in Debian's chromium at 360x740 as
// WeChat opens a scanned code. tests/system/test_phone_browser.c sets the scene (backend-sim,
// kiosk-hub, a kiosk that printed a ticket) and runs one walk:
//
//   node tests/browser/phone_walk.js ticket URL SIM_PORT TICKET OUT_DIR js|nojs
//       the ticket's page: its place in the queue; backend-sim calls it; the room appears (with
//       JavaScript: within 2 s, without a reload; without: by the page's own 15 s refresh);
//       the rating form; the thank-you page; with JavaScript also the complaint form, first
//       without the consent box (refused, nothing lost), then with it
//   node tests/browser/phone_walk.js codes FORGED_URL EXPIRED_URL OUT_DIR
//       the two pages a bad code gets
//
// TAP on stdout; screenshots of each page in OUT_DIR; exit 1 on a failure.
const path = require('path');
const b = require('./lib.js');

const CALLED_WITHIN_MS = 2000;
const REFRESH_WITHIN_MS = 20000; // the page's 15 s refresh, with room for a loaded machine

async function admin(simPort, route, body) {
    const res = await fetch(`http://127.0.0.1:${simPort}${route}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body || {}),
    });
    return res.json();
}

// Calls the next patient until it is ticket (at most 40 calls); the time of its call.
async function callUntil(simPort, ticket) {
    for (let i = 0; i < 40; i++) {
        const called = await admin(simPort, '/admin/call');
        if (called.ticket === ticket) return Date.now();
    }
    throw new Error(`backend-sim never called ${ticket}`);
}

const state = (page) => page.getAttribute('#live', 'data-state');

async function rate(page, out, name) {
    await page.check('input[name="score"][value="4"]', { force: true });
    await page.check('input[name="tag"][value="2"]', { force: true });
    await page.fill('textarea[name="comment"]', '护士很耐心 the nurse was patient');
    await b.shot(page, path.join(out, `${name}-rate.png`));
    await Promise.all([page.waitForNavigation(), page.click('#rate button[type="submit"]')]);
    b.ok(await page.isVisible('.thanks'), `${name}: the thank-you page after rating`);
    await b.shot(page, path.join(out, `${name}-thanks.png`));
}

async function complain(page, out) {
    await Promise.all([page.waitForNavigation(), page.click('a.complaint')]);
    b.ok(await page.isVisible('#complaint'), 'the complaint form from the link on the page');
    await page.fill('textarea[name="text"]', '候诊区空调太冷 The waiting room is too cold');
    await page.fill('input[name="phone"]', '13800138000');
    await b.shot(page, path.join(out, 'complaint.png'));
    const refused = await Promise.all([page.waitForNavigation(), page.click('#complaint button[type="submit"]')]);
    b.is(refused[0].status(), 422, 'a number without the consent box is refused');
    b.ok(await page.isVisible('.error[role="alert"]'), 'the page says why');
    b.is(await page.inputValue('textarea[name="text"]'), '候诊区空调太冷 The waiting room is too cold', 'what the patient wrote is kept');
    await b.shot(page, path.join(out, 'complaint-consent.png'));
    await page.check('input[name="consent"]', { force: true });
    const kept = await Promise.all([page.waitForNavigation(), page.click('#complaint button[type="submit"]')]);
    b.is(kept[0].status(), 200, 'with consent the complaint is kept');
    const reference = await page.textContent('.reference');
    b.ok(/^C\d{8}-\d{4,}$/.test(reference.trim()), `a reference number (${reference.trim()})`);
    await b.shot(page, path.join(out, 'complaint-done.png'));
}

async function ticketWalk([url, simPort, ticket, out, mode]) {
    const js = mode === 'js';
    const name = js ? 'js' : 'nojs';
    const { page, errors, external } = await b.launch({ js });
    const res = await page.goto(url);
    b.is(res.status(), 200, `${name}: the ticket's page answers 200`);
    b.is(await state(page), 'waiting', `${name}: the ticket is waiting`);
    b.is((await page.textContent('.ticket')).trim(), ticket, `${name}: it shows the ticket ${ticket}`);
    b.ok(/前面还有 \d+ 人|下一位就是您/.test(await page.textContent('#live')), `${name}: and how many are ahead`);
    await b.shot(page, path.join(out, `${name}-waiting.png`));
    await page.evaluate(() => {
        window.notReloaded = true;
    });
    const calledAt = await callUntil(simPort, ticket);
    if (js) {
        const left = Math.max(0, CALLED_WITHIN_MS - (Date.now() - calledAt));
        await b.step(`${name}: the room appears within ${CALLED_WITHIN_MS} ms of the call`, () =>
            b.waitFor(async () => (await state(page)) === 'called', left),
        );
        b.ok(await page.evaluate(() => window.notReloaded === true), `${name}: without a reload`);
    } else {
        await b.step(`${name}: the page refreshes itself and shows the room`, () =>
            b.waitFor(async () => (await state(page).catch(() => '')) === 'called', REFRESH_WITHIN_MS, 250),
        );
    }
    b.ok(/号诊室/.test(await page.textContent('.room')), `${name}: the room, by name`);
    b.ok(await page.isVisible('#rate'), `${name}: the rating form is there`);
    await b.shot(page, path.join(out, `${name}-called.png`));
    await rate(page, out, name);
    if (js) await complain(page, out);
    // The refused complaint is a 422 on purpose; the console reports it as a failed load.
    const scriptErrors = errors.filter((e) => !/Failed to load resource: .* 422/.test(e));
    b.is(scriptErrors, [], `${name}: no script errors`);
    b.is(external, [], `${name}: nothing requested from outside this machine`);
}

async function codesWalk([forged, expired, out]) {
    const { page, external } = await b.launch({ js: true });
    let res = await page.goto(forged);
    b.is(res.status(), 404, 'a forged code: 404');
    b.ok(await page.isVisible('.problem'), 'a forged code: a page saying so');
    await b.shot(page, path.join(out, 'forged.png'));
    res = await page.goto(expired);
    b.is(res.status(), 410, 'an expired code: 410');
    b.ok(/过期/.test(await page.textContent('.problem')), 'an expired code: the page says it has expired');
    await b.shot(page, path.join(out, 'expired.png'));
    b.is(external, [], 'nothing requested from outside this machine');
}

const [walk, ...args] = process.argv.slice(2);
const walks = { ticket: [ticketWalk, 5], codes: [codesWalk, 3] };
if (!walks[walk] || args.length !== walks[walk][1]) {
    process.stderr.write('usage: phone_walk.js ticket URL SIM_PORT TICKET OUT_DIR js|nojs\n' +
        '       phone_walk.js codes FORGED_URL EXPIRED_URL OUT_DIR\n');
    process.exit(2);
}
b.main(() => walks[walk][0](args), { timeout: 120000 });
