#!/usr/bin/env node
'use strict';
// phone-shot.js: a screenshot of a page as a patient's phone shows it: Debian's chromium,
// headless, 360x740 CSS pixels at deviceScaleFactor 2 (a 720x1480 PNG), touch, WeChat's user
// agent (tests/browser/lib.js has the settings). Used by make demo and by the tests.
// Usage: node scripts/phone-shot.js URL OUT.png [--no-js] [--width 360 --height 740]
//            [--full-page] [--lang zh-CN] [--allow-error] [--timeout MS]
// Exits 0 with one line saying what it saved; 1 with a message when the page does not load
// (or answers HTTP >= 400, unless --allow-error) or chromium fails; 2 on a usage error.

const path = require('path');

const USAGE =
    'usage: node scripts/phone-shot.js URL OUT.png [--no-js] [--width 360 --height 740] ' +
    '[--full-page] [--lang zh-CN] [--allow-error] [--timeout MS]';

function fail(message, status = 1) {
    process.stderr.write(`phone-shot: ${message}\n`);
    process.exit(status);
}

function parse(argv) {
    const o = { js: true, width: 360, height: 740, fullPage: false, lang: 'zh-CN', allowError: false, timeout: 15000 };
    const positional = [];
    const number = (flag, v) => {
        if (v === undefined || !/^[1-9][0-9]{0,4}$/.test(v)) fail(`${flag} needs a whole number\n${USAGE}`, 2);
        return Number(v);
    };
    for (let i = 0; i < argv.length; i += 1) {
        const a = argv[i];
        switch (a) {
            case '--no-js':
                o.js = false;
                break;
            case '--full-page':
                o.fullPage = true;
                break;
            case '--allow-error':
                o.allowError = true;
                break;
            case '--width':
            case '--height':
            case '--timeout':
                o[a.slice(2)] = number(a, argv[(i += 1)]);
                break;
            case '--lang':
                o.lang = argv[(i += 1)];
                if (!o.lang || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(o.lang)) {
                    fail(`--lang needs a language tag such as zh-CN or en\n${USAGE}`, 2);
                }
                break;
            case '-h':
            case '--help':
                process.stdout.write(`${USAGE}\n`);
                process.exit(0);
                break;
            default:
                if (a.startsWith('-')) fail(`unknown option ${a}\n${USAGE}`, 2);
                positional.push(a);
        }
    }
    if (positional.length !== 2) fail(USAGE, 2);
    [o.url, o.out] = positional;
    if (!/^(https?|file):/.test(o.url)) fail(`${o.url}: not an http(s) or file URL`, 2);
    if (!o.out.endsWith('.png')) fail(`${o.out}: the screenshot is a .png`, 2);
    return o;
}

async function run(o) {
    let lib;
    try {
        lib = require(path.join(__dirname, '..', 'tests', 'browser', 'lib.js'));
    } catch (e) {
        fail(`cannot load the browser library: ${e.message.split('\n')[0]}`);
    }
    let failure;
    try {
        const { page, errors } = await lib.launch({
            js: o.js,
            width: o.width,
            height: o.height,
            lang: o.lang,
            timeout: o.timeout,
        });
        let res;
        try {
            res = await page.goto(o.url, { waitUntil: 'load', timeout: o.timeout });
        } catch (e) {
            throw new Error(`${o.url} did not load: ${e.message.split('\n')[0]}`);
        }
        const status = res ? res.status() : 0;
        if (res && status >= 400 && !o.allowError) {
            throw new Error(`${o.url} answered HTTP ${status} ${res.statusText()} (--allow-error to take it anyway)`);
        }
        await lib.shot(page, o.out, { fullPage: o.fullPage });
        const size = lib.pngSize(o.out);
        const notes = [res ? `HTTP ${status}` : 'no HTTP response', o.js ? 'JavaScript on' : 'JavaScript off'];
        if (errors.length) notes.push(`${errors.length} page error(s): ${errors[0]}`);
        process.stdout.write(`phone-shot: ${o.out} (${size.width}x${size.height}) of ${o.url}, ${notes.join(', ')}\n`);
    } catch (e) {
        failure = e;
    } finally {
        await lib.closeAll();
    }
    if (failure) fail(failure.message.split('\n')[0]);
}

run(parse(process.argv.slice(2))).catch((e) => fail(e && e.message ? e.message : String(e)));
