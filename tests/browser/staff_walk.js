'use strict';
// staff_walk.js: the hospital's staff on kiosk-hub's /staff/ pages, in Debian's chromium at a
// desk (1366x768) and on a phone (390 px). tests/system/test_hub_staff_browser.c sets the scene
// (kiosk-hub with known ratings and complaints, accounts made with `kiosk-hub user add`) and runs
// one walk:
//
//   node tests/browser/staff_walk.js quality BASE OUT SINCE NAME PASSWORD
//       log in through the form; the quality page's figures into OUT/page.json; the CSV export
//       downloaded by clicking it into OUT/export.csv; the week view; the comment search
//   node tests/browser/staff_walk.js complaints BASE OUT NAME PASSWORD OVERDUE_REF RETAINED_REF
//       two complaints from the phone form (one with consent and a number, one without: its
//       number never kept); the first walked new -> in progress -> answered; the list, the
//       overdue mark, a number removed after retention; the CSV export into OUT/complaints.csv
//   node tests/browser/staff_walk.js security BASE OUT QNAME QPASS FNAME FPASS DELAY_S ANAME APASS
//       cookie flags; forms without or with a wrong CSRF token refused; each role kept to its
//       pages; logout; six wrong passwords slow the seventh; the admin's audit log shows it
//
// TAP on stdout; screenshots (NAME-desktop.png, NAME-phone.png) in OUT; exit 1 on a failure.
const fs = require('fs');
const path = require('path');
const b = require('./lib.js');

const DESK = { width: 1366, height: 768, isMobile: false };
const PHONE = { width: 390, height: 844, isMobile: true };

// A desk browser (not the phone preset of lib.js): no touch, scale 1.
async function desk(browser, size = DESK) {
    const context = await browser.newContext({
        viewport: { width: size.width, height: size.height },
        deviceScaleFactor: size.isMobile ? 2 : 1,
        isMobile: size.isMobile,
        hasTouch: size.isMobile,
        locale: 'zh-CN',
        acceptDownloads: true,
    });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        // a refused form (403, 422) is the browser's own "Failed to load resource" line
        if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    return { context, page, errors };
}

async function login(page, base, name, password) {
    await page.goto(`${base}/staff/login`);
    await page.fill('#login input[name="name"]', name);
    await page.fill('#login input[name="password"]', password);
    const [res] = await Promise.all([page.waitForNavigation(), page.click('#login button[type="submit"]')]);
    return res;
}

// The page at a desk and on a phone: full-page PNGs, and whether anything is wider than the
// screen (a table may scroll inside its own box, the page itself must not).
async function shots(browser, base, name, password, url, out, shot) {
    for (const [size, label] of [[DESK, 'desktop'], [PHONE, 'phone']]) {
        const { context, page } = await desk(browser, size);
        if (name) await login(page, base, name, password);
        await page.goto(`${base}${url}`);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        b.ok(wide <= 1, `${shot} at ${label}: the page is no wider than the screen (${wide} px over)`);
        await b.shot(page, path.join(out, `${shot}-${label}.png`), { fullPage: label === 'desktop' });
        await context.close();
    }
}

async function quality([base, out, since, name, password]) {
    const browser = (await b.launch()).browser;
    const { page, errors } = await desk(browser);
    const res = await login(page, base, name, password);
    b.is(new URL(res.url()).pathname, '/staff/quality', 'a quality account lands on the quality page');
    await page.goto(`${base}/staff/quality?since=${since}`);
    const rows = await page.$$eval('#by-period tbody tr[data-key]', (trs) =>
        trs.map((tr) => ({
            key: tr.dataset.key,
            channel: tr.dataset.channel,
            cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
        })),
    );
    const rooms = await page.$$eval('#by-room tbody tr[data-key]', (trs) =>
        trs.map((tr) => ({
            key: tr.dataset.key,
            channel: tr.dataset.channel,
            cells: [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
        })),
    );
    const figures = {};
    for (const id of ['total', 'average', 'happy', 'unhappy', 'phone', 'kiosk']) {
        figures[id] = (await page.textContent(`#${id}`)).trim();
    }
    b.ok(await page.isVisible('svg#trend'), 'the trend chart is drawn');
    b.ok((await page.$$('svg#trend circle')).length > 0, 'with a point for each period with ratings');
    b.ok(await page.isVisible('svg#shares'), 'the shares chart is drawn');
    const tags = await page.$$eval('#tags tbody tr', (trs) => trs.map((tr) => tr.textContent));
    fs.writeFileSync(path.join(out, 'page.json'), JSON.stringify({ rows, rooms, figures, tags }, null, 1));
    // the export, as a person gets it: a click and a download
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    await download.saveAs(path.join(out, 'export.csv'));
    b.ok(/^ratings-.*\.csv$/.test(download.suggestedFilename()), `the export downloads as ${download.suggestedFilename()}`);
    const [comments] = await Promise.all([page.waitForEvent('download'), page.click('#export-comments')]);
    await comments.saveAs(path.join(out, 'comments.csv'));
    // by week: the same ratings in fewer rows
    await page.selectOption('#filters select[name="by"]', 'week');
    await Promise.all([page.waitForNavigation(), page.click('#filters button[type="submit"]')]);
    const weeks = await page.$$eval('#by-period tbody tr[data-channel="all"]', (trs) => trs.map((tr) => tr.dataset.key));
    b.ok(weeks.length > 0 && weeks.every((k) => /^\d{4}-W\d{2}$/.test(k)), `by week: ${weeks.join(' ')}`);
    b.is((await page.textContent('#total')).trim(), figures.total, 'by week: the same total');
    // the comment search
    await page.fill('#search input[name="q"]', 'nurse');
    await Promise.all([page.waitForNavigation(), page.click('#search button[type="submit"]')]);
    const found = await page.$$eval('#comments td.comment', (tds) => tds.map((td) => td.textContent));
    b.ok(found.length > 0 && found.every((t) => /nurse/i.test(t)), `the search finds only comments with "nurse" (${found.length})`);
    // the language switch keeps the page and the filter
    await Promise.all([page.waitForNavigation(), page.click('a.lang')]);
    b.is((await page.textContent('h1')).trim(), 'Patient satisfaction', 'English at the switch');
    b.is(new URL(page.url()).pathname, '/staff/quality', 'on the same page');
    b.is(new URL(page.url()).searchParams.get('by'), 'week', 'with its filter');
    await b.shot(page, path.join(out, 'staff-quality-en.png'));
    b.is(errors, [], 'no script errors');
    await shots(browser, base, name, password, `/staff/quality?since=${since}`, out, 'staff-quality');
    await shots(browser, base, null, null, '/staff/login', out, 'staff-login');
}

async function phoneComplaint(browser, base, text, phone, consent) {
    const { page } = await b.launch({ browser });
    await page.goto(`${base}/c`);
    await page.fill('textarea[name="text"]', text);
    if (phone) await page.fill('input[name="phone"]', phone);
    if (consent) await page.check('input[name="consent"]', { force: true });
    let [res] = await Promise.all([page.waitForNavigation(), page.click('#complaint button[type="submit"]')]);
    if (phone && !consent) {
        b.is(res.status(), 422, 'a number without consent is refused by the phone form');
        await page.fill('input[name="phone"]', '');
        [res] = await Promise.all([page.waitForNavigation(), page.click('#complaint button[type="submit"]')]);
    }
    b.is(res.status(), 200, `the complaint is kept (${consent ? 'with' : 'without'} consent)`);
    const reference = (await page.textContent('.reference')).trim();
    await page.context().close();
    return reference;
}

async function complaints([base, out, name, password, overdueRef, retainedRef]) {
    const browser = (await b.launch()).browser;
    const withNumber = await phoneComplaint(browser, base, '候诊区空调太冷 The waiting room is too cold', '13800138000', true);
    const without = await phoneComplaint(browser, base, '挂号窗口态度不好 Rude at the desk', '13911112222', false);
    fs.writeFileSync(path.join(out, 'refs.json'), JSON.stringify({ withNumber, without }));
    const { page, errors } = await desk(browser);
    await login(page, base, name, password);
    await page.goto(`${base}/staff/complaints`);
    const card = (ref) => `section.complaint[id="${ref}"]`;
    b.is(await page.getAttribute(card(withNumber), 'data-status'), 'new', `${withNumber} is new`);
    b.is((await page.textContent(`${card(withNumber)} .phone`)).trim(), '13800138000', 'the consented number is shown');
    b.is(await page.$(`${card(without)} .phone`), null, 'no number on the complaint without consent');
    b.ok(!(await page.content()).includes('13911112222'), 'the number typed without consent is nowhere on the page');
    b.is(await page.getAttribute(card(overdueRef), 'data-overdue'), '1', `${overdueRef} (10 days old) is marked overdue`);
    b.ok(await page.isVisible(`${card(overdueRef)} .overdue`), 'and says so');
    b.is(await page.getAttribute(card(withNumber), 'data-overdue'), null, `${withNumber} is not overdue`);
    // new -> in progress, the owner left empty: the one who saves it
    await page.selectOption(`${card(withNumber)} select[name="status"]`, 'in_progress');
    await Promise.all([page.waitForNavigation(), page.click(`${card(withNumber)} button[type="submit"]`)]);
    b.is(await page.getAttribute(card(withNumber), 'data-status'), 'in_progress', 'in progress');
    b.is(await page.inputValue(`${card(withNumber)} input[name="owner"]`), name, 'owned by the one who took it');
    // answered without a reply note: refused
    await page.selectOption(`${card(withNumber)} select[name="status"]`, 'answered');
    const [refused] = await Promise.all([page.waitForNavigation(), page.click(`${card(withNumber)} button[type="submit"]`)]);
    b.is(refused.status(), 422, 'answered without a reply note is refused');
    await page.goto(`${base}/staff/complaints?show=all`);
    await page.selectOption(`${card(withNumber)} select[name="status"]`, 'answered');
    await page.fill(`${card(withNumber)} textarea[name="reply"]`, '已调高温度并电话告知 Heating raised; patient called back');
    await Promise.all([page.waitForNavigation(), page.click(`${card(withNumber)} button[type="submit"]`)]);
    b.is(await page.getAttribute(card(withNumber), 'data-status'), 'answered', 'answered');
    // the default list shows what still needs an answer
    await page.goto(`${base}/staff/complaints`);
    b.is(await page.$(card(withNumber)), null, 'an answered complaint leaves the "not answered yet" list');
    await page.goto(`${base}/staff/complaints?show=all`);
    b.ok(await page.isVisible(`${card(retainedRef)} .phone-removed`), `${retainedRef}: its number was removed after retention`);
    b.ok(!(await page.content()).includes('13722223333'), 'and is nowhere on the page');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    await download.saveAs(path.join(out, 'complaints.csv'));
    b.is(errors, [], 'no script errors');
    await shots(browser, base, name, password, '/staff/complaints?show=all', out, 'staff-complaints');
}

async function refusedPost(page, url, form) {
    const res = await page.request.post(url, { form, maxRedirects: 0 });
    return res.status();
}

async function security([base, out, qname, qpass, fname, fpass, delay, aname, apass]) {
    const browser = (await b.launch()).browser;
    let { context, page } = await desk(browser);
    await login(page, base, qname, qpass);
    const cookie = (await context.cookies()).find((c) => c.name === 'staff_session');
    b.ok(cookie && cookie.httpOnly, 'the session cookie is HttpOnly');
    b.is(cookie && cookie.sameSite, 'Strict', 'and SameSite=Strict');
    b.ok(cookie && cookie.expires > Date.now() / 1000, 'and expires');
    await page.goto(`${base}/staff/complaints?show=all`);
    const action = await page.getAttribute('section.complaint form', 'action');
    const token = await page.inputValue('section.complaint form input[name="csrf"]');
    b.ok(/^[0-9a-f]{64}$/.test(token), 'the form carries a CSRF token');
    b.is(await refusedPost(page, `${base}${action}`, { status: 'closed', reply: 'x' }), 403, 'a form without its CSRF token is refused');
    b.is(await refusedPost(page, `${base}${action}`, { csrf: 'f'.repeat(64), status: 'closed', reply: 'x' }), 403, 'a form with a wrong token is refused');
    b.is(await refusedPost(page, `${base}/staff/logout`, {}), 403, 'logout without the token is refused');
    let res = await page.goto(`${base}/staff/fleet`);
    b.is(res.status(), 403, 'a quality account cannot open the fleet page');
    res = await page.goto(`${base}/staff/devices/entrance-1`);
    b.is(res.status(), 403, 'nor a device page');
    res = await page.goto(`${base}/staff/audit`);
    b.is(res.status(), 403, 'nor the audit log');
    await shots(browser, base, qname, qpass, '/staff/fleet', out, 'staff-forbidden');
    await page.goto(`${base}/staff/quality`);
    await Promise.all([page.waitForNavigation(), page.click('form.logout button')]);
    b.is(new URL(page.url()).pathname, '/staff/login', 'logout leads to the login page');
    await page.goto(`${base}/staff/quality`);
    b.is(new URL(page.url()).pathname, '/staff/login', 'and the session is over');
    await context.close();

    ({ context, page } = await desk(browser));
    res = await login(page, base, fname, fpass);
    b.is(new URL(page.url()).pathname, '/staff/fleet', 'a facilities account lands on the fleet page');
    res = await page.goto(`${base}/staff/quality`);
    b.is(res.status(), 403, 'a facilities account cannot open the quality page');
    res = await page.goto(`${base}/staff/complaints`);
    b.is(res.status(), 403, 'nor the complaints');
    res = await page.goto(`${base}/staff/quality.csv?since=2020-01-01`);
    b.is(res.status(), 403, 'nor the export');
    await context.close();

    ({ context, page } = await desk(browser));
    for (let i = 1; i <= 6; i += 1) {
        res = await login(page, base, qname, `wrong-password-${i}`);
        b.is(res.status(), 401, `wrong password ${i} of 6: refused`);
    }
    const started = Date.now();
    res = await login(page, base, qname, qpass);
    b.is(res.status(), 429, 'the seventh, even with the right password, must wait');
    b.ok(/\d+/.test(await page.textContent('.error')), `and says how long: ${(await page.textContent('.error')).trim()}`);
    await b.shot(page, path.join(out, 'staff-login-slowed.png'));
    await new Promise((r) => setTimeout(r, Math.max(0, Number(delay) * 1000 + 1200 - (Date.now() - started))));
    res = await login(page, base, qname, qpass);
    b.is(new URL(page.url()).pathname, '/staff/quality', 'after the wait the right password logs in');
    await context.close();

    // the admin sees every page, and the audit log with all of the above in it
    ({ context, page } = await desk(browser));
    await login(page, base, aname, apass);
    const nav = await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
    b.is(nav, ['/staff/quality', '/staff/complaints', '/staff/fleet', '/staff/audit'], 'an admin is offered every page');
    res = await page.goto(`${base}/staff/audit`);
    b.is(res.status(), 200, 'and opens the audit log');
    const actions = await page.$$eval('#audit tbody tr', (trs) => trs.map((tr) => tr.dataset.action));
    for (const a of ['login', 'login_failed', 'login_refused', 'logout', 'csrf_refused', 'export', 'complaint', 'user_add']) {
        b.ok(actions.includes(a), `the audit log has "${a}"`);
    }
    await context.close();
    await shots(browser, base, aname, apass, '/staff/audit', out, 'staff-audit');
}

b.main(async () => {
    const [mode, ...args] = process.argv.slice(2);
    if (mode === 'quality') await quality(args);
    else if (mode === 'complaints') await complaints(args);
    else if (mode === 'security') await security(args);
    else throw new Error(`unknown walk ${mode}`);
}, { timeout: 170000 });
