#!/usr/bin/env python3
"""Drive a clio QEMU image over its serial line (stdio), expect-style.

  qemu_drive.py [--timeout S] [--ready TEXT] [--expect-rc N] [--script FILE]
                [--feed FILE]... [--time-only] [-v] -- qemu-system-riscv64 ... -kernel IMAGE

QEMU gets `-display none -monitor none -serial stdio` (binary-safe: no
Ctrl-A mux) appended.  The driver waits for TEXT (the console banner; the
time from spawning QEMU to its first byte is the boot-to-prompt time), then
plays the script: each line is `SEND` or `SEND ||| REGEX`; SEND goes out with
a newline and, with a REGEX, the driver waits (up to --line-timeout) until the
output since that send matches it (\\r stripped).  `@keys TEXT` sends TEXT
with its escapes decoded (\\x03 Ctrl-C, \\x1b[A Up, \\r Enter) and no newline;
`@sleep SECS` waits (reading the output meanwhile).  Then it waits for QEMU to
exit and checks its status.  Everything has a deadline (--timeout): QEMU is
killed and the driver fails with status 124 if it is reached.

--feed FILE: after TEXT and before the script, FILE goes out whole, as
fast as QEMU takes it (the output is read meanwhile); with several, in turn.

--first-byte TEXT: with --time-only, report the time to the first byte of
TEXT (or of any output when TEXT is empty), then kill QEMU.
Prints `boot_ms=<ms> first_byte_ms=<ms>`; exit 0 when all checks passed.
"""
import argparse, os, re, select, signal, subprocess, sys, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--line-timeout", type=float, default=15.0)
    ap.add_argument("--ready", default="Forth shell ready")
    ap.add_argument("--expect-rc", type=int, default=0)
    ap.add_argument("--script", default=None)
    ap.add_argument("--feed", action="append", default=[])
    ap.add_argument("--time-only", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("qemu", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.qemu[1:] if a.qemu[:1] == ["--"] else a.qemu
    if not cmd:
        ap.error("no QEMU command")
    cmd = cmd + ["-display", "none", "-monitor", "none", "-serial", "stdio"]
    steps = []
    if a.script:
        with open(a.script) as f:
            for raw in f:
                raw = raw.rstrip("\n")
                if not raw.strip() or raw.lstrip().startswith("#!"):
                    continue
                send, sep, rx = raw.partition(" ||| ")
                steps.append((send, re.compile(rx.strip(), re.M) if sep else None))

    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)

    def kill():
        """QEMU may run under `timeout`: end the whole process group."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    deadline = t0 + a.timeout
    out = bytearray()
    first_byte = None
    eof = False
    stamps = []                                 # (end offset, arrival time)

    def text(frm=0):
        return out[frm:].decode("utf-8", "replace").replace("\r", "")

    def read_some():
        """One read of the output (select said there is some)."""
        nonlocal first_byte, eof
        b = os.read(proc.stdout.fileno(), 65536)
        if not b:
            eof = True
            return
        if first_byte is None:
            first_byte = time.monotonic() - t0
        if a.verbose:
            sys.stdout.write(b.decode("utf-8", "replace")); sys.stdout.flush()
        out.extend(b)
        stamps.append((len(out), time.monotonic() - t0))

    def pump(until):
        """Read output until `until()` holds, EOF, or the deadline."""
        while not until():
            if eof:
                return False
            left = min(deadline, pump.limit) - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([proc.stdout], [], [], left)
            if r:
                read_some()
        return True
    pump.limit = deadline

    def fail(msg, rc=1):
        kill()
        print(f"FAIL: {msg}")
        print("---- guest output ----")
        print(text()[-3000:])
        err = proc.stderr.read().decode("utf-8", "replace")
        if err:
            print("---- qemu stderr ----\n" + err[-1000:])
        return rc

    ready = a.ready.encode()
    if not pump(lambda: ready in out):
        return fail(f"no '{a.ready}' (boot)", 124 if time.monotonic() >= deadline else 1)
    pos = out.index(ready)
    boot_ms = next(t for end, t in stamps if end > pos)   # its first byte's arrival
    if a.time_only:
        print(f"boot_ms={boot_ms * 1000:.1f} first_byte_ms={first_byte * 1000:.1f}")
        kill()
        return 0

    for name in a.feed:
        with open(name, "rb") as f:
            data = f.read()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        while data:
            left = deadline - time.monotonic()
            if left <= 0:
                return fail(f"--feed {name}: not taken in time", 124)
            r, w, _ = select.select([] if eof else [proc.stdout], [proc.stdin], [], left)
            if r:
                read_some()
            if w:
                try:
                    data = data[os.write(proc.stdin.fileno(), data[:4096]):]
                except BrokenPipeError:
                    return fail(f"QEMU gone during --feed {name}")

    for send, rx in steps:
        start = len(out)
        if send.startswith("@sleep "):
            pump.limit = time.monotonic() + float(send[7:])
            pump(lambda: False)
            pump.limit = deadline
            continue
        data = send.encode() + b"\n"
        if send.startswith("@keys "):
            data = send[6:].encode().decode("unicode_escape").encode("latin-1")
        try:
            proc.stdin.write(data); proc.stdin.flush()
        except BrokenPipeError:
            return fail(f"QEMU gone before '{send}'")
        if rx is None:
            continue
        pump.limit = time.monotonic() + a.line_timeout
        if not pump(lambda: rx.search(text(start)) is not None):
            return fail(f"'{send}': no match for /{rx.pattern}/ in {text(start)!r}",
                        124 if time.monotonic() >= deadline else 1)
        pump.limit = deadline
    pump(lambda: False)                         # until EOF or the deadline
    try:
        rc = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return fail(f"QEMU still running after {a.timeout} s", 124)
    if rc != a.expect_rc:
        return fail(f"QEMU exit status {rc}, expected {a.expect_rc}")
    print(f"boot_ms={boot_ms * 1000:.1f} first_byte_ms={first_byte * 1000:.1f} rc={rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
