// web_check.js -- the page in headless Chromium (driven by tests/e2e/web.sh):
//     node tests/e2e/web_check.js URL WASM_FILE CHROMIUM
// Checks, each printed as ok/FAIL: the budgets (.wasm size; the prompt
// within 1 s of page load, a first visit in a fresh browser context; no
// kernel run and next to no script while idle), then one page: the
// prompt, `2 3 + .`, history (ArrowUp), an error the shell survives, an
// endless word stopped by Ctrl-C, bye, floats, a spawned task running
// beside the shell, the sermux shells' tabs, a drawing on the canvas (pixels), keys from the canvas
// into the keyboard mux, the demo button, a file that survives a reload, a
// storage that refuses writes (an I/O error, the shell goes on).  Exit
// status 1 if any failed.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const [url, wasmFile, chromium] = process.argv.slice(2);
const PROMPT_BUDGET_MS = 1000;
const WASM_BUDGET = 400 * 1024;
const IDLE_MS = 3000;
let fails = 0;
const ok = (cond, what, detail) => {
  console.log(`${cond ? 'ok  ' : 'FAIL'}  ${what}${detail ? ': ' + detail : ''}`);
  if (!cond) fails++;
  return cond;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ready(page) {
  await page.waitForFunction('window.clio && clio.promptMs > 0', { timeout: 20000 });
  await page.waitForFunction('clio.screen().includes("Forth shell ready")', { timeout: 5000 });
  return page.evaluate('clio.promptMs');
}
const screen = (page) => page.evaluate('clio.screen()');
// waitFor(page, ...) reads the console; waitFor({ evaluate }) any text
// wait until the screen matches re (a RegExp, multiline), or time out: the match or null
async function waitFor(page, re, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const m = re.exec(page.goto ? await screen(page) : await page.evaluate());
    if (m || Date.now() > end) return m;
    await sleep(50);
  }
}
// type a line into the terminal as a person would (keys into xterm.js)
async function type(page, line) {
  await page.focus('#terminal textarea');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}
// Run a line in the shell, tagged: `.( <#N>) line` prints <#N> before the
// line's output.  The output up to " ok" (trimmed), or null when no " ok"
// came within ms (an error).
let marks = 0;
const tagged = (tag, rest) => new RegExp(`(?<!\\.\\( )<#${tag}>${rest}`, 'm');
// Typed key by key when `typed`, else handed to the line editor whole
// (clio.submit: the same path as Enter, without puppeteer's per-key cost).
async function ask(page, line, ms = 10000, typed = false) {
  const tag = ++marks;
  const text = `.( <#${tag}>) ${line}`;
  if (typed) await type(page, text);
  else await page.evaluate((t) => clio.submit(t), text);
  const m = await waitFor(page, tagged(tag, '([^]*?) ok$'), ms);
  return m ? m[1].trim() : null;
}
// what the last ask() printed after its tag (its first line)
async function said(page) {
  const m = tagged(marks, '(.*)$').exec(await screen(page));
  return m ? m[1].trim() : '';
}

(async () => {
  const size = fs.statSync(wasmFile).size;
  ok(size <= WASM_BUDGET, 'clio.wasm within 400 KiB', `${size} bytes`);
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'clio-chromium-')),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // the browser is up (a visitor's is); each first visit in a fresh
    // context (no cache, no storage).  Other work on this machine only adds
    // to the figure: up to 5 visits, the first within the budget counts.
    const warm = await browser.newPage();
    await warm.goto('about:blank');
    const times = [];
    for (let i = 0; i < 5 && !(Math.min(...times) <= PROMPT_BUDGET_MS); i++) {
      const ctx = await browser.createBrowserContext();
      const p = await ctx.newPage();
      await p.goto(url);
      times.push(await ready(p));
      const t = await p.evaluate('clio.timing');
      console.log(`      visit ${i + 1}: clio.js ran at ${t.script.toFixed(0)} ms, clio.wasm compiled at ` +
                  `${t.compiled.toFixed(0)}, boot() at ${t.boot.toFixed(0)}, terminal open at ` +
                  `${t.terminal.toFixed(0)}, prompt at ${times[i].toFixed(0)}`);
      await ctx.close();
    }
    const best = Math.min(...times);
    ok(best <= PROMPT_BUDGET_MS, 'prompt within 1 s of page load',
       `${best.toFixed(0)} ms (visits: ${times.map((t) => t.toFixed(0)).join(', ')}; load average ` +
       `${os.loadavg()[0].toFixed(1)})`);

    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewport({ width: 1600, height: 900 });
    await page.goto(url);
    await ready(page);
    ok(/files: a new store in this browser/.test(await screen(page)),
       'boots to the prompt with a new store');
    ok(await ask(page, '2 3 + .', 10000, true) === '5', '2 3 + . answers 5 (typed)');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    ok(await waitFor(page, tagged(marks, '5  ok\\n[^]*<#' + marks + '>5  ok')),
       'ArrowUp Enter runs the line again (history)');
    const bad = await ask(page, 'no-such-word', 2000);
    const err = await said(page);
    ok(bad === null && /no-such-word/.test(err) && await ask(page, '6 7 * .') === '42',
       'an unknown word: an error, the shell goes on', err);
    // a word that never ends: the page stays responsive, Ctrl-C stops it
    await page.evaluate(() => clio.submit(': spin begin again ; spin'));
    await sleep(500);
    const r0 = await page.evaluate('clio.stats.runs');
    await sleep(300);
    const spinning = await page.evaluate('clio.stats.runs') > r0;
    await page.focus('#terminal textarea');
    await page.keyboard.down('Control');
    await page.keyboard.press('c');
    await page.keyboard.up('Control');
    const intr = await waitFor(page, /^.*interrupt.*$/m, 5000);
    ok(spinning && intr && await ask(page, '1 2 + .') === '3',
       'a word that never ends: the page stays responsive, Ctrl-C stops it', intr && intr[0]);
    // bye ends the shell; a page has no process to end: a new shell starts
    await page.evaluate(() => clio.submit('bye'));
    ok(await waitFor(page, /a new one starts/, 5000) && await ask(page, '4 5 + .') === '9',
       'bye: a new shell starts');
    const fl = await ask(page, '1e 3e f/ f.');
    ok(/^0\.3333333333333/.test(fl || ''), '1e 3e f/ f. answers 0.333...', fl);

    // a child task ticks while the shell keeps answering
    await page.evaluate(() => clio.submit(':noname 10 0 do ." tick " 400 ms loop ." child done" cr ; spawn drop'));
    await waitFor(page, /tick /);
    const mid = await ask(page, '2 3 * .');
    const during = !/tick child done/.test(await screen(page));
    ok(mid === '6' && during, 'the shell answers while a spawned task runs', `answer ${mid}`) ||
      console.log((await screen(page)).trim().split('\n').slice(-6).join('\n'));
    await waitFor(page, /tick child done/);
    const ticks = ((await screen(page)).match(/(?<!\." )tick /g) || []).length;
    ok(ticks === 10 && /tick child done/.test(await screen(page)), 'the spawned task finishes',
       `${ticks} ticks`);

    // the sermux shell ports as tabs: port 10's shell, typed into; a child
    // spawned on port 20 gets a tab of its own
    await page.click('.clio-tabs button:nth-child(2)');
    await page.keyboard.type('7 6 * .');
    await page.keyboard.press('Enter');
    const t10 = await waitFor({ evaluate: () => page.evaluate('clio.screen(10)') }, /^42  ok$/m);
    ok(t10 && !/^42  ok$/m.test(await screen(page)), "port 10's tab: its own shell answers 42");
    await page.evaluate(() => clio.show('console'));
    await ask(page, ':noname ." hello from port 20" cr ; 20 spawn-on drop');
    ok(await waitFor({ evaluate: () => page.evaluate('clio.screen(20)') }, /^hello from port 20$/m) &&
       await page.evaluate(() => [...document.querySelectorAll('.clio-tabs button')]
         .some((b) => b.textContent === 'port 20')), 'a child spawned on port 20 gets a tab');

    // a drawing: a white square on the canvas, read back as pixels
    await ask(page, 'create cv 40 40 canvas-bytes allot  cv 10 20 40 40 canvas');
    await ask(page, '255 color 5 5 30 30 fill-rect paint show');
    const px = await page.evaluate(() => {
      const d = document.getElementById('display').getContext('2d').getImageData(0, 0, 400, 240).data;
      const at = (x, y) => d[(y * 400 + x) * 4];
      return [at(30, 40), at(12, 22), at(100, 100)];
    });
    ok(px[0] === 255 && px[1] === 0 && px[2] === 0, 'a drawing shows on the canvas', `pixels ${px}`);

    // keys pressed on the canvas reach a keyboard-mux subscriber
    await ask(page, 'keyboard-service connect value kb  pad 0 1 kb pad 0 call 2drop');
    await page.focus('#display');
    await page.keyboard.type('xy');
    const keys = await ask(page, 'create rq 16 ,  rq 4 3 kb pad 16 call . pad swap type');
    ok(keys === '0 xy', 'keys on the canvas reach the keyboard mux', keys);

    // one click runs examples/demo.fs: the canvas changes while it runs
    const sum = () => page.evaluate(() => {
      const d = document.getElementById('display').getContext('2d').getImageData(0, 0, 400, 240).data;
      let s = 0;
      for (let i = 0; i < d.length; i += 4) s = (s * 31 + d[i]) >>> 0;
      return s;
    });
    await page.click('#demo');
    await sleep(1500);
    const s1 = await sum();
    await sleep(500);
    ok(s1 !== await sum(), 'the demo button animates the canvas');
    ok(await waitFor(page, /^150 frames\s*$/m, 30000), 'the demo runs to its end');

    // a file saved survives a reload
    ok(await ask(page, 's" 6 7 * constant answer" save-line keep.fs') === '', 'save-line keep.fs');
    await page.reload();
    await ready(page);
    const ls = await ask(page, 'ls');
    ok(/this browser's store/.test(await screen(page)) && /demo\.fs/.test(ls) && /keep\.fs/.test(ls),
       'after a reload: ls lists demo.fs and keep.fs', (ls || '').replace(/\s+/g, ' '));
    ok(await ask(page, 'include keep.fs answer .') === '42', 'the saved file survives a reload');

    // the kernel does not run while nothing happens
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    const metric = async (name) => (await cdp.send('Performance.getMetrics')).metrics
      .find((m) => m.name === name).value;
    await sleep(500);
    const i0 = await page.evaluate('clio.stats.runs'), sc0 = await metric('ScriptDuration');
    const tk0 = await metric('TaskDuration');
    await sleep(IDLE_MS);
    const i1 = await page.evaluate('clio.stats.runs'), sc1 = await metric('ScriptDuration');
    const tk1 = await metric('TaskDuration');
    const scriptMs = (sc1 - sc0) * 1000, taskMs = (tk1 - tk0) * 1000;
    ok(i1 === i0 && scriptMs < 0.01 * IDLE_MS, `idle for ${IDLE_MS} ms: no kernel run`,
       `${i1 - i0} runs, script ${scriptMs.toFixed(1)} ms, all tasks ${taskMs.toFixed(1)} ms ` +
       `(${(100 * taskMs / IDLE_MS).toFixed(2)}% of a core)`);

    // a storage that refuses: the write fails with an error, the shell goes on
    await page.evaluate(() => {
      Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
    });
    const full = await ask(page, 's" x" save-line refused.fs', 2000);
    const io = await said(page);
    ok(full === null && /I\/O|-37/.test(io) && await ask(page, '1 2 + .') === '3',
       'a full storage: an I/O error, the shell goes on', io);

    // damaged storage: a block that is not base64, one of the wrong size and
    // a superblock of garbage; the page boots all the same and says so
    const dmg = await browser.createBrowserContext();
    const dp = await dmg.newPage();
    await dp.goto(url);
    await ready(dp);
    await dp.evaluate(() => {
      localStorage.setItem('clio.blk.0', btoa('not a superblock'.repeat(32)));
      localStorage.setItem('clio.blk.5', '%%% not base64 %%%');
      localStorage.setItem('clio.blk.6', btoa('short'));
    });
    await dp.reload();
    let dmsg = null;
    try { await ready(dp); dmsg = await dp.evaluate('clio.screen()'); }
    catch (e) { dmsg = null; }
    const dline = dmsg && (/^files: .*\n.*$/m.exec(dmsg) || [''])[0];
    ok(/not a blkfs image[^]*left as it is: no files/.test(dline) && await ask(dp, '2 2 + .') === '4',
       'damaged storage: the page boots, says so, the shell works', dline.replace(/\s+/g, ' '));
    await dmg.close();

    // the storage is the user's: a history that is not a list of strings,
    // and block names write() never makes ("00", "0x0") holding garbage --
    // the page takes neither (a bad history made every Enter throw before
    // the line was sent; an alias of block 0 was mounted instead of it)
    const odd = await browser.createBrowserContext();
    const op = await odd.newPage();
    const oerrs = [];
    op.on('pageerror', (e) => oerrs.push(String(e)));
    await op.goto(url);
    await ready(op);
    await op.evaluate(() => {
      localStorage.clear();
      localStorage.setItem('clio.history', '"abc"');
      localStorage.setItem('clio.blk.00', btoa('not a superblock'.repeat(32)));
      localStorage.setItem('clio.blk.0x0', btoa('not a superblock'.repeat(32)));
    });
    await op.reload();
    await ready(op);
    const otyped = await ask(op, '6 7 * .', 10000, true);
    const oscr = await op.evaluate('clio.screen()');
    ok(otyped === '42' && /files: a new store in this browser/.test(oscr) && oerrs.length === 0,
       'odd storage: a bad history and aliased block names are ignored',
       `${otyped} ${(/^files: .*$/m.exec(oscr) || [''])[0]} ${oerrs.join('; ')}`);
    await odd.close();

    ok(errors.length === 0, 'no page errors', errors.join('; '));
  } finally {
    await browser.close();
  }
  console.log(fails ? `web: ${fails} checks failed` : 'web: all checks passed');
  process.exit(fails ? 1 : 0);
})().catch((e) => {
  console.error('web_check:', e);
  process.exit(1);
});
