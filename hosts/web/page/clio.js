/*
 * clio.js -- the JavaScript host of clio.wasm (see hosts/web/web.h for the
 * contract, docs/web.md for embedding).
 *
 *   Clio.boot({ terminal, canvas, base, storage, gfxterm }) -> Promise<clio>
 *     terminal  an element for the terminals (xterm.js: window.Terminal):
 *               a tab bar, the console's tab, a tab per sermux port that
 *               has spoken (the shells on 10..13 from the start)
 *     canvas    a <canvas> for the display (400x240), optional
 *     base      where clio.wasm and examples/ are (default: beside
 *               clio.js, whose loading starts fetching and compiling them)
 *     storage   the localStorage key prefix of the files and the history
 *               ('clio'); two pages with one prefix share (and fight over)
 *               one disk, so give each embedded instance its own
 *     gfxterm   also run the graphical shell on the canvas
 *   clio.submit(line[, tab])  a line for a shell, as if typed ('console'
 *                      by default, or a sermux port number)
 *   clio.feed(text)    raw bytes for the console shell's input
 *   clio.screen([tab]) a terminal's text, for tests
 *   clio.show(tab)     bring a tab to the front
 *   clio.term          the console's xterm.js Terminal
 *   clio.promptMs      when the shell was ready (ms since navigation)
 *   clio.timing        when this script ran, clio.wasm was compiled, boot()
 *                      was called, the terminal was open (ms, the same)
 *   clio.stats.runs    how many times the kernel ran (an idle page: none)
 *
 * The event loop: clio_run() runs the kernel for a slice and says what
 * next: run again (after letting the browser breathe, through a
 * MessageChannel, which setTimeout's 4 ms clamp would slow), a timer at the
 * kernel's next deadline, or nothing at all until input arrives.
 */
(function (global) {
  'use strict';

  var SLICE_MS = 8;           /* the kernel's share before the page's turn */
  var BLOCK = 512;
  var HISTORY_MAX = 200;
  var GFXTERM = 1;
  var LINE_CONSOLE = 0, LINE_MUX = 1;          /* web.h's WEB_LINE_* */
  var INBUF = 16384;                           /* web.h's WEB_INBUF */
  var MUX_SHELL0 = 10, MUX_NSHELLS = 4;        /* sermux.h: the shell ports */

  /* ---- the browser's storage: the disk's blocks, base64, one key each -- */
  function Disk(prefix) {
    this.prefix = prefix + '.blk.';
  }
  /* Copy the stored blocks into the disk image; a value that is not a
   * block (not base64, another size) is skipped, so blkfs finds the damage
   * and says so.  No storage at all (disabled, a sandboxed frame): none. */
  Disk.prototype.load = function (image, nblocks) {
    var n = 0, keys = [];
    try {
      for (var i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i));
    } catch (e) {
      return 0;
    }
    for (var k = 0; k < keys.length; k++) {
      if (keys[k].indexOf(this.prefix) !== 0) continue;
      /* only the names write() makes ("clio.blk.12"): "01", "0x1", "1e0",
       * " 1" and "" would alias a block and win over it, never updated */
      var suffix = keys[k].slice(this.prefix.length), lba = Number(suffix), bin;
      if (!/^(0|[1-9][0-9]*)$/.test(suffix) || lba >= nblocks) continue;
      try { bin = atob(localStorage.getItem(keys[k])); } catch (e) { continue; }
      if (bin.length !== BLOCK) continue;
      for (var j = 0; j < BLOCK; j++) image[lba * BLOCK + j] = bin.charCodeAt(j);
      n++;
    }
    return n;
  };
  /* 0, or -1 when the storage refuses (full, disabled) */
  Disk.prototype.write = function (lba, bytes) {
    try {
      for (var b = 0; b < bytes.length / BLOCK; b++) {
        var blk = bytes.subarray(b * BLOCK, (b + 1) * BLOCK), zero = true, s = '';
        for (var j = 0; j < BLOCK; j++) {
          if (blk[j]) zero = false;
          s += String.fromCharCode(blk[j]);
        }
        if (zero) localStorage.removeItem(this.prefix + (lba + b));
        else localStorage.setItem(this.prefix + (lba + b), btoa(s));
      }
      return 0;
    } catch (e) {
      return -1;
    }
  };

  /* ---- line editing for the console (readline's job on Linux) ----------
   * The line is edited here and sent whole, with its '\n', on Enter; Ctrl-C
 * drops it and interrupts the word the shell runs.  The
   * cursor moves left with '\b' (reverse wraparound on, so it crosses
   * wrapped rows) and right by rewriting the characters. */
  /* The lines entered, kept in the browser (one list for every tab). */
  function History(prefix) {
    this.key = prefix + '.history';
    var lines = [];
    try { lines = JSON.parse(localStorage.getItem(this.key)); } catch (e) { lines = []; }
    /* the storage is the user's: keep only a list of strings, the newest */
    this.lines = Array.isArray(lines)
      ? lines.filter(function (l) { return typeof l === 'string'; }).slice(-HISTORY_MAX)
      : [];
  }
  History.prototype.add = function (line) {
    if (!line || line === this.lines[this.lines.length - 1]) return;
    this.lines.push(line);
    if (this.lines.length > HISTORY_MAX) this.lines.shift();
    try { localStorage.setItem(this.key, JSON.stringify(this.lines)); } catch (e) { /* full */ }
  };

  function LineEditor(term, send, interrupt, history) {
    this.term = term;
    this.send = send;
    this.interrupt = interrupt;
    this.history = history;
    this.buf = '';
    this.pos = 0;
    this.hpos = history.lines.length;
    term.write('\x1b[?45h');                   /* reverse wraparound */
  }
  var BS = function (n) { return n > 0 ? new Array(n + 1).join('\b') : ''; };
  var SP = function (n) { return n > 0 ? new Array(n + 1).join(' ') : ''; };
  LineEditor.prototype.set = function (text) {  /* replace the whole line */
    var old = this.buf.length;
    this.term.write(BS(this.pos) + text + SP(old - text.length) + BS(old - text.length));
    this.buf = text;
    this.pos = text.length;
  };
  LineEditor.prototype.insert = function (s) {
    var tail = this.buf.slice(this.pos);
    this.buf = this.buf.slice(0, this.pos) + s + tail;
    this.pos += s.length;
    this.term.write(s + tail + BS(tail.length));
  };
  LineEditor.prototype.erase = function (from, to) {  /* delete [from, to) */
    var n = to - from;
    if (n <= 0) return;
    var tail = this.buf.slice(to);
    this.term.write(BS(this.pos - from) + tail + SP(n) + BS(tail.length + n));
    this.buf = this.buf.slice(0, from) + tail;
    this.pos = from;
  };
  LineEditor.prototype.move = function (to) {
    to = Math.max(0, Math.min(this.buf.length, to));
    if (to < this.pos) this.term.write(BS(this.pos - to));
    else this.term.write(this.buf.slice(this.pos, to));
    this.pos = to;
  };
  LineEditor.prototype.recall = function (d) {
    var lines = this.history.lines, h = Math.min(this.hpos, lines.length) + d;
    if (h < 0 || h > lines.length) return;
    if (this.hpos >= lines.length) this.draft = this.buf;
    this.hpos = h;
    this.set(h === lines.length ? this.draft || '' : lines[h]);
  };
  LineEditor.prototype.submit = function (line) {
    if (line === undefined) line = this.buf;
    else this.set(line);
    this.move(this.buf.length);
    this.term.write('\r\n');
    this.history.add(line);
    this.hpos = this.history.lines.length;
    this.buf = '';
    this.pos = 0;
    this.send(line + '\n');
  };
  /* Output arrived: take the line being edited off the screen, show the
   * output, put the line back after it. */
  LineEditor.prototype.output = function (bytes) {
    if (!this.buf) { this.term.write(bytes); return; }
    this.term.write(BS(this.pos) + '\x1b[J');
    this.term.write(bytes);
    this.term.write(this.buf + BS(this.buf.length - this.pos));
  };
  var KEYS = [
    [/^\r\n?|^\n/, function (e) { e.submit(); }],
    [/^[\x7f\b]/, function (e) { e.erase(e.pos - 1, e.pos); }],
    [/^\x1b\[3~|^\x04/, function (e) { e.erase(e.pos, e.pos + 1); }],
    [/^\x1b\[D|^\x02/, function (e) { e.move(e.pos - 1); }],
    [/^\x1b\[C|^\x06/, function (e) { e.move(e.pos + 1); }],
    [/^\x1b\[H|^\x1bOH|^\x01/, function (e) { e.move(0); }],
    [/^\x1b\[F|^\x1bOF|^\x05/, function (e) { e.move(e.buf.length); }],
    [/^\x1b\[A|^\x10/, function (e) { e.recall(-1); }],
    [/^\x1b\[B|^\x0e/, function (e) { e.recall(1); }],
    [/^\x15/, function (e) { e.erase(0, e.pos); }],
    [/^\x0b/, function (e) { e.erase(e.pos, e.buf.length); }],
    [/^\x03/, function (e) { e.move(e.buf.length); e.term.write('^C\r\n'); e.buf = ''; e.pos = 0; e.interrupt(); }],
    [/^\x1b\[[0-9;]*[A-Za-z~]|^\x1bO.|^[\x00-\x1f]/, function () { /* others: ignored */ }],
  ];
  LineEditor.prototype.data = function (s) {
    while (s.length) {
      var done = false;
      for (var i = 0; i < KEYS.length && !done; i++) {
        var m = KEYS[i][0].exec(s);
        if (m) { KEYS[i][1](this); s = s.slice(m[0].length); done = true; }
      }
      if (!done) {                               /* printable text, up to a control */
        var t = /^[^\x00-\x1f\x7f]+/.exec(s)[0];
        this.insert(t);
        s = s.slice(t.length);
      }
    }
  };

  /* A key on the canvas as a keyboard-mux byte (services/display/keyboard.h). */
  function keyByte(e) {
    if (e.ctrlKey && e.key.length === 1) return e.key.toUpperCase().charCodeAt(0) & 0x1f;
    if (e.key.length === 1) return e.key.charCodeAt(0) < 128 ? e.key.charCodeAt(0) : -1;
    return { Enter: 13, Backspace: 8, Escape: 27, Tab: 9, Delete: 127 }[e.key] || -1;
  }

  /* Fetch and compile clio.wasm, fetch the demo (null if missing). */
  function load(base) {
    var wasm = fetch(base + 'clio.wasm');
    var compile = function (r) {
      if (!r.ok) throw new Error('clio.wasm: HTTP ' + r.status);
      return r.arrayBuffer().then(function (b) { return WebAssembly.compile(b); });
    };
    return {
      module: WebAssembly.compileStreaming
        ? WebAssembly.compileStreaming(wasm).catch(function () { return wasm.then(compile); })
        : wasm.then(compile),
      demo: fetch(base + 'examples/demo.fs').then(function (r) { return r.ok ? r.text() : null; },
                                                  function () { return null; }),
    };
  }
  /* Started as this script loads, beside the page's other downloads: the
   * files next to this script are the default. */
  var HERE = document.currentScript ? document.currentScript.src.replace(/[^/]*$/, '') : '';
  var timing = { script: performance.now() };
  var preloaded = load(HERE);
  preloaded.module.then(function () { timing.compiled = performance.now(); });

  /* ---- sermux frames: COBS(u16 port LE, payload) then 0x00 (sermux.h) -- */
  var MUX_MTU = 256;
  function cobsDecode(b) {                     /* null: malformed */
    var out = [], i = 0;
    while (i < b.length) {
      var code = b[i++];
      if (code === 0 || i + code - 1 > b.length) return null;
      for (var j = 1; j < code; j++) out.push(b[i++]);
      if (code < 0xff && i < b.length) out.push(0);
    }
    return out;
  }
  function cobsEncode(b) {                     /* with the closing 0x00 */
    var out = [0], at = 0, code = 1;
    for (var k = 0; k < b.length; k++) {
      if (b[k] !== 0) { out.push(b[k]); code++; }
      if (b[k] === 0 || code === 0xff) { out[at] = code; at = out.length; out.push(0); code = 1; }
    }
    out[at] = code;
    out.push(0);
    return out;
  }

  /* ---- one terminal: a tab of the page --------------------------------- */
  function Tab(clio, bar, panes, label, send, interrupt) {
    var Term = global.Terminal && (global.Terminal.Terminal || global.Terminal);
    this.term = new Term({ convertEol: true, cursorBlink: false, cols: 80, rows: 30,
                           scrollback: 5000, fontSize: 14 });
    this.editor = new LineEditor(this.term, send, interrupt, clio.history);
    this.pane = document.createElement('div');
    this.pane.className = 'clio-pane';
    panes.appendChild(this.pane);
    this.button = document.createElement('button');
    this.button.textContent = label;
    bar.appendChild(this.button);
    var tab = this;
    this.button.onclick = function () { clio.show(tab); };
    this.term.onData(function (d) { tab.editor.data(d); });
  }
  /* Opened when first shown: xterm.js measures its cells then (what was
   * written before is kept). */
  Tab.prototype.show = function (on) {
    this.pane.style.display = on ? '' : 'none';
    this.button.className = on ? 'clio-tab-on' : '';
    if (on && !this.opened) { this.term.open(this.pane); this.opened = true; }
    if (on) this.term.focus();
  };
  Tab.prototype.screen = function () {
    var b = this.term.buffer.active, out = [];
    for (var i = 0; i < b.length; i++) out.push(b.getLine(i).translateToString(true));
    return out.join('\n');
  };

  function boot(opts) {
    var base = opts.base === undefined ? HERE : opts.base;
    var prefix = opts.storage || 'clio';
    timing.boot = performance.now();
    var bar = document.createElement('div'), panes = document.createElement('div');
    bar.className = 'clio-tabs';
    opts.terminal.appendChild(bar);
    opts.terminal.appendChild(panes);
    var disk = new Disk(prefix);
    var clio = { stats: { runs: 0 }, promptMs: 0, timing: timing, tabs: {},
                 history: new History(prefix) };
    var mem, ex, timer = null, queued = false, pending = [], muxIn = [];
    var chan = new MessageChannel();
    var enc = new TextEncoder();
    var console_ = new Tab(clio, bar, panes, 'console', function (s) { feed(LINE_CONSOLE, enc.encode(s)); },
                           function () { if (ex) { ex.clio_interrupt(); kick(); } });
    clio.tabs.console = console_;
    clio.term = console_.term;
    clio.show = function (tab) {
      if (typeof tab !== 'object') tab = clio.tabs[tab] || muxTab(tab);
      for (var k in clio.tabs) clio.tabs[k].show(clio.tabs[k] === tab);
    };
    clio.show(console_);
    timing.terminal = performance.now();
    var ctx = opts.canvas && opts.canvas.getContext('2d');
    var frame = null;

    /* A sermux port's tab, made when the port first says something (or is
     * shown): its lines go to the port as frames. */
    function muxTab(port) {
      if (clio.tabs[port]) return clio.tabs[port];
      var tab = new Tab(clio, bar, panes, 'port ' + port, function (s) {
        var b = enc.encode(s);
        for (var i = 0; i < b.length; i += MUX_MTU) {
          var f = [port & 0xff, port >> 8];
          f.push.apply(f, b.subarray(i, i + MUX_MTU));
          feed(LINE_MUX, new Uint8Array(cobsEncode(f)));
        }
      }, function () { /* no Ctrl-C over the mux */ });
      clio.tabs[port] = tab;
      tab.show(false);
      return tab;
    }
    function muxOut(bytes) {
      for (var i = 0; i < bytes.length; i++) {
        if (bytes[i] !== 0) { muxIn.push(bytes[i]); continue; }
        var f = cobsDecode(muxIn);
        muxIn = [];
        if (f && f.length >= 2) muxTab(f[0] | f[1] << 8).editor.output(new Uint8Array(f.slice(2)));
      }
    }

    var imports = { env: {
      now_ms: function () { return performance.now(); },
      line_out: function (id, ptr, len) {
        var bytes = new Uint8Array(mem.buffer, ptr, len).slice();
        if (id === LINE_MUX) return muxOut(bytes);
        if (!clio.promptMs) clio.promptMs = performance.now();
        console_.editor.output(bytes);
      },
      display_present: function (fb, w, h) {
        if (!ctx) return;
        if (!frame || frame.width !== w || frame.height !== h) {
          opts.canvas.width = w;
          opts.canvas.height = h;
          frame = ctx.createImageData(w, h);
        }
        var src = new Uint8Array(mem.buffer, fb, w * h), px = new Uint32Array(frame.data.buffer);
        for (var i = 0; i < src.length; i++) px[i] = 0xff000000 | src[i] * 0x010101;
        ctx.putImageData(frame, 0, 0);
      },
      disk_write: function (lba, ptr, count) {
        return disk.write(lba, new Uint8Array(mem.buffer, ptr, count * BLOCK));
      },
    } };

    function run() {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      clio.stats.runs++;
      var next = ex.clio_run(SLICE_MS);
      pump();
      if (next === 0) kick();
      else if (next > 0) timer = setTimeout(run, Math.ceil(next));
      /* -1: idle until input */
    }
    function kick() {
      if (!queued) { queued = true; chan.port2.postMessage(0); }
    }
    chan.port1.onmessage = function () { queued = false; run(); };
    /* Offer queued input to its line's ring, in order; what does not fit
     * waits for the next run. */
    function pump() {
      var took = false;
      while (pending.length) {
        var line = pending[0][0], chunk = pending[0][1], n = Math.min(chunk.length, INBUF);
        new Uint8Array(mem.buffer, ex.clio_inbuf(), n).set(chunk.subarray(0, n));
        var got = ex.clio_line_in(line, n);
        if (got) took = true;
        if (got === chunk.length) pending.shift();
        else pending[0][1] = chunk.subarray(got);
        if (got < n) break;
      }
      return took;
    }
    function feed(line, bytes) {
      pending.push([line, bytes]);
      if (ex && pump()) kick();
    }
    clio.feed = function (text) { feed(LINE_CONSOLE, enc.encode(text)); };
    clio.submit = function (line, tab) { (clio.tabs[tab || 'console'] || muxTab(tab)).editor.submit(line); };
    clio.screen = function (tab) { return (clio.tabs[tab || 'console'] || muxTab(tab)).screen(); };
    if (opts.canvas) {
      opts.canvas.addEventListener('keydown', function (e) {
        var k = keyByte(e);
        if (k < 0 || !ex) return;
        e.preventDefault();
        ex.clio_key(k);
        kick();
      });
    }

    function seed(name, text) {
      var n = enc.encode(name), d = enc.encode(text);
      var buf = new Uint8Array(mem.buffer, ex.clio_inbuf(), n.length + d.length);
      buf.set(n);
      buf.set(d, n.length);
      return ex.clio_seed(n.length, d.length);
    }

    var files = base === HERE ? preloaded : load(base);
    return Promise.all([files.module.then(function (m) { return WebAssembly.instantiate(m, imports); }),
                        files.demo]).then(function (got) {
      ex = got[0].exports;
      mem = ex.memory;
      var nb = ex.clio_disk_blocks();
      disk.load(new Uint8Array(mem.buffer, ex.clio_disk_base(), nb * BLOCK), nb);
      var rc = ex.clio_start(opts.gfxterm ? GFXTERM : 0);
      if (rc !== 0) {
        run();                                   /* shows the reason, if any */
        throw new Error('clio_start: ' + rc);
      }
      for (var p = MUX_SHELL0; p < MUX_SHELL0 + MUX_NSHELLS; p++) muxTab(p);
      if (got[1] !== null) seed('demo.fs', got[1]);
      run();
      pump();
      return clio;
    });
  }

  global.Clio = { boot: boot };
})(this);
