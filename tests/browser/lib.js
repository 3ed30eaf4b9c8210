'use strict';
// tests/browser/lib.js: what the browser tests share. Debian's chromium (/usr/bin/chromium, or
// $KIOSK_CHROMIUM) driven by playwright-core (package.json; scripts/deps.sh installs both) at a
// phone's size, as WeChat's in-app browser would open a scanned code; a few waiting helpers;
// TAP output ("ok N - name" / "not ok N - name") with the exit status set on a failure.
// scripts/phone-shot.js uses the same launch().
//
//   const b = require('./lib.js');
//   b.main(async () => {
//       const { page } = await b.launch({ js: false });
//       const res = await page.goto(url);
//       b.is(res.status(), 200, 'the page answers 200');
//       await b.shot(page, 'out/page.png');
//   });

const fs = require('fs');
const path = require('path');

let chromium;
try {
    ({ chromium } = require('playwright-core'));
} catch (e) {
    process.stderr.write(
        'playwright-core is missing: scripts/deps.sh test installs it (npm ci --ignore-scripts ' +
            'in the repository root)\n',
    );
    throw e;
}

const CHROMIUM = process.env.KIOSK_CHROMIUM || '/usr/bin/chromium';
// WeChat 8.0's in-app browser (XWEB) on Android, as it sends itself.
const USER_AGENT =
    'Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 ' +
    '(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 ' +
    'MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 ' +
    'Weixin NetType/WIFI Language/zh_CN ABI/arm64';
const WIDTH = 360;
const HEIGHT = 740;
// The machine has no network but loopback: chromium is kept from trying (no background
// requests, every host name but localhost unresolvable), so nothing waits on a time-out.
const ARGS = [
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.*, EXCLUDE ::1',
];

const browsers = new Set();

function isLoopback(url) {
    let u;
    try {
        u = new URL(url);
    } catch {
        return true;
    }
    if (!/^(https?|wss?):$/.test(u.protocol)) return true;
    const h = u.hostname;
    return h === 'localhost' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

// launch({js = true, width = 360, height = 740, lang = 'zh-CN', userAgent, browser}): a
// headless chromium with one phone-sized context (deviceScaleFactor 2, isMobile, hasTouch,
// WeChat's user agent, Accept-Language from lang) and one page in it; with browser (from an
// earlier launch) a new context in that one, which is quicker than a new chromium and shares
// nothing with the other contexts (cookies, storage, cache). Returns {browser, context, page,
// errors, external}: errors collects the page's uncaught exceptions and console errors,
// external every request the page tried to send anywhere but this machine (they fail).
async function launch(opts = {}) {
    const js = opts.js !== false;
    let browser = opts.browser;
    if (!browser) {
        if (!fs.existsSync(CHROMIUM)) {
            throw new Error(`${CHROMIUM} is missing: scripts/deps.sh run-tests installs Debian's chromium`);
        }
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            headless: true,
            // Chromium's sandbox needs user namespaces, which root in a container or chroot
            // rarely gets: --no-sandbox (playwright's default) only as root.
            chromiumSandbox: typeof process.getuid === 'function' && process.getuid() !== 0,
            args: ARGS,
            timeout: opts.launchTimeout || 60000,
        });
        browsers.add(browser);
        browser.on('disconnected', () => browsers.delete(browser));
    }
    const lang = opts.lang || 'zh-CN';
    const context = await browser.newContext({
        viewport: { width: opts.width || WIDTH, height: opts.height || HEIGHT },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        javaScriptEnabled: js,
        locale: lang,
        userAgent: opts.userAgent || USER_AGENT,
    });
    context.setDefaultTimeout(opts.timeout || 10000);
    context.setDefaultNavigationTimeout(opts.timeout || 15000);
    const page = await context.newPage();
    const errors = [];
    const external = [];
    page.on('pageerror', (e) => errors.push(`exception: ${e.message}`));
    page.on('console', (m) => {
        // A missing favicon is the browser's own request, not the page's fault.
        if (m.type() === 'error' && !/\/favicon\.ico$/.test(m.location().url || '')) {
            errors.push(`console: ${m.text()}`);
        }
    });
    context.on('request', (r) => {
        if (!isLoopback(r.url())) external.push(r.url());
    });
    return { browser, context, page, errors, external };
}

// shot(page, file, {fullPage}): a PNG of what the phone shows (its folder made first).
async function shot(page, file, opts = {}) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    await page.screenshot({ path: file, fullPage: !!opts.fullPage, animations: 'disabled' });
    return file;
}

// waitFor(predicate, ms = 5000, interval = 50): calls predicate (may be async) until it gives
// something truthy, and returns that; throws after ms. A predicate that throws is retried.
async function waitFor(predicate, ms = 5000, interval = 50) {
    const until = Date.now() + ms;
    let last;
    for (;;) {
        try {
            const v = await predicate();
            if (v) return v;
            last = undefined;
        } catch (e) {
            last = e;
        }
        if (Date.now() >= until) {
            throw new Error(`waitFor: not true within ${ms} ms${last ? ` (last error: ${last.message})` : ''}`);
        }
        await new Promise((r) => setTimeout(r, interval));
    }
}

// pngSize(file): {width, height} from a PNG's header.
function pngSize(file) {
    const b = fs.readFileSync(file);
    if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG' || b.toString('latin1', 12, 16) !== 'IHDR') {
        throw new Error(`${file}: not a PNG`);
    }
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// TAP: one line a check, "1..N" and a comment with the counts at the end; a failure sets the
// process's exit status to 1.
let count = 0;
let failures = 0;

function ok(cond, name, detail) {
    count += 1;
    const line = `${cond ? 'ok' : 'not ok'} ${count} - ${String(name).replace(/\n/g, ' ')}`;
    process.stdout.write(`${line}\n`);
    if (!cond) {
        failures += 1;
        process.exitCode = 1;
        if (detail !== undefined) {
            for (const l of String(detail).split('\n')) process.stdout.write(`#   ${l}\n`);
        }
    }
    return !!cond;
}

function is(actual, expected, name) {
    const same = JSON.stringify(actual) === JSON.stringify(expected);
    return ok(same, name, same ? undefined : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// step(name, fn): runs fn (may be async): ok when it returns, not ok with the error when it
// throws. Returns what fn returned (undefined on an error).
async function step(name, fn) {
    try {
        const v = await fn();
        ok(true, name);
        return v;
    } catch (e) {
        ok(false, name, e && e.stack ? e.stack.split('\n').slice(0, 4).join('\n') : String(e));
        return undefined;
    }
}

function done() {
    process.stdout.write(`1..${count}\n# ${count - failures} passed, ${failures} failed\n`);
    if (failures > 0 || count === 0) process.exitCode = 1;
    return failures;
}

async function closeAll() {
    await Promise.all([...browsers].map((b) => b.close().catch(() => {})));
}

// main(fn, {timeout = 120000}): runs a test script's body, then closes every browser it
// launched and prints the plan. An exception or the time running out is one more "not ok".
async function main(fn, opts = {}) {
    const ms = opts.timeout || 120000;
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the test script did not finish within ${ms} ms`)), ms);
    });
    const run = Promise.resolve().then(fn);
    run.catch(() => {}); // after a time-out, what it still awaits fails as the browsers close
    try {
        await Promise.race([run, timeout]);
    } catch (e) {
        ok(false, 'the test script ran to its end', e && e.stack ? e.stack : String(e));
    } finally {
        clearTimeout(timer);
        await closeAll();
        done();
    }
}

module.exports = {
    CHROMIUM,
    USER_AGENT,
    WIDTH,
    HEIGHT,
    launch,
    shot,
    waitFor,
    pngSize,
    ok,
    is,
    step,
    done,
    main,
    closeAll,
};
