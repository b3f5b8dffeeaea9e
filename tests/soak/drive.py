#!/usr/bin/env python3
"""soak driver: talks sermux to build/clio over TCP for SECONDS.

While it runs:
  * port 0 (loopback) carries random bytes at full rate (a window of
    WINDOW bytes in flight), every byte checked on its way back;
  * port 11 churns Forth tasks: batches of 10 spawned and waited for,
    500 at least;
  * a runaway task (spawn-on port 20) loops forever until killed at the end;
  * a task over its memory budget fails alone (-8);
  * malformed frames (bad COBS, too short, too long) and frames for unknown
    ports are mixed into the line, counted here.
At the end: the mux counters must account for every bad frame sent, the
kernel must answer on port 10, and the allocator's bytes in use must equal
what they were before the churn began.  Exit status 0 on success.
"""
import os, random, select, socket, sys, time

def cobs_encode(data):
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1); out += block; block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(255); out += block; block = bytearray()
    out.append(len(block) + 1); out += block
    return bytes(out)

def cobs_decode(data):
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        if code == 0 or i + code > len(data) + (1 if False else 0) and i + code - 1 > len(data):
            return None
        out += data[i + 1:i + code]
        i += code
        if code < 255 and i < len(data):
            out.append(0)
    return bytes(out)

def frame(port, payload):
    return cobs_encode(bytes([port & 255, port >> 8]) + payload) + b"\0"

class Line:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.text = {}          # port -> accumulated text
        self.loop = bytearray() # loopback bytes received
        self.s.sendall(b"\0")
    def send(self, data):
        self.s.sendall(data)
    def say(self, port, text):
        self.send(frame(port, text.encode()))
    def pump(self, timeout=0.0):
        r, _, _ = select.select([self.s], [], [], timeout)
        if not r:
            return
        data = self.s.recv(1 << 16)
        if not data:
            raise SystemExit("FAIL: clio closed the line")
        self.buf += data
        while True:
            i = self.buf.find(0)
            if i < 0:
                break
            f, self.buf = bytes(self.buf[:i]), self.buf[i + 1:]
            if not f:
                continue
            d = cobs_decode(f)
            if d is None or len(d) < 2:
                raise SystemExit("FAIL: clio sent a malformed frame")
            p = d[0] | d[1] << 8
            if p == 0:
                self.loop += d[2:]
            else:
                self.text[p] = self.text.get(p, "") + d[2:].decode("latin-1")
    def wait_for(self, port, needle, timeout):
        end = time.time() + timeout
        while needle not in self.text.get(port, ""):
            if time.time() > end:
                raise SystemExit("FAIL: port %d never said %r; it said %r" %
                                 (port, needle, self.text.get(port, "")[-400:]))
            self.pump(0.05)
    def ask(self, port, text, needle, timeout=10):
        self.text[port] = ""
        self.say(port, text)
        self.wait_for(port, needle, timeout)
        return self.text[port]

def number_before(text, tag):
    # "...<n> <tag>" -> n
    i = text.index(tag)
    return int(text[:i].split()[-1])

def main():
    host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    rnd = random.Random(1)
    L = Line(host, port)
    # warm up: open port 20 once, so its rings are not counted as a leak
    L.ask(10, ": nop ; ' nop 20 spawn-on wait drop reap drop 1 .\n", "1  ok")
    stats0 = L.ask(10, "mux-stats . . . . . . . .( =stats) cr\n", "=stats")
    before = number_before(L.ask(10, "kmem-in-use . .( =mem) cr\n", "=mem"), "=mem")
    # the churn, the runaway and the over-budget task
    L.say(11, ": w 1 ;\n: batch 10 0 do ['] w spawn loop 10 0 do wait drop loop ;\n"
              ": churn ( n -- ) 0 do batch loop ;\n")
    L.ask(12, ": x begin again ; ' x 20 spawn-on constant runaway\n", " ok")
    L.ask(13, ": y begin 0 , again ; ' y spawn wait . .( =budget) cr\n", "=budget")
    if "-8 =budget" not in L.text[13]:
        raise SystemExit("FAIL: the over-budget task ended with %r" % L.text[13])
    sent = bytearray()
    WINDOW = 16384
    bad = {"malformed": 0, "unknown": 0}
    churns, churn_busy = 0, False
    end = time.time() + seconds
    while time.time() < end or churns < 50:
        if not churn_busy:
            L.text[11] = ""
            L.say(11, "1 churn .( =c) cr\n")
            churn_busy = True
        elif "=c" in L.text.get(11, ""):
            churns += 1
            churn_busy = False
        if len(sent) - len(L.loop) < WINDOW:
            chunk = rnd.randbytes(rnd.randint(1, 256))
            sent += chunk
            L.send(frame(0, chunk))
        if rnd.random() < 0.02:
            kind = rnd.choice(["cobs", "short", "long", "unknown"])
            if kind == "cobs":
                L.send(b"\x05ab\0")                      # code past the end
                bad["malformed"] += 1
            elif kind == "short":
                L.send(cobs_encode(b"\x0a") + b"\0")      # one byte: no port
                bad["malformed"] += 1
            elif kind == "long":
                L.send(frame(0, bytes(rnd.randbytes(600))))
                bad["malformed"] += 1
            else:
                L.send(frame(77, b"nobody home"))
                bad["unknown"] += 1
        L.pump(0.0)
        if len(L.loop) > len(sent) or L.loop != sent[:len(L.loop)]:
            raise SystemExit("FAIL: loopback bytes differ at %d" % len(L.loop))
    while len(L.loop) < len(sent):
        L.pump(0.2)
    if L.loop != sent:
        raise SystemExit("FAIL: loopback lost bytes")
    L.wait_for(11, "=c", 60)
    L.ask(12, "runaway kill reap drop 1 .\n", "1  ok")
    after = number_before(L.ask(10, "kmem-in-use . .( =mem) cr\n", "=mem"), "=mem")
    stats1 = L.ask(10, "mux-stats . . . . . . . .( =stats) cr\n", "=stats")
    full0, unk0, mal0 = [int(x) for x in stats0.split()[:3]]
    full1, unk1, mal1 = [int(x) for x in stats1.split()[:3]]
    answer = L.ask(10, "2 3 + .\n", "5  ok")
    print("soak: %.0f s, %d tasks spawned and ended, %d loopback bytes byte-exact" %
          (seconds, churns * 10 + 2, len(sent)))
    print("soak: bad frames sent: %d malformed, %d unknown port; mux counted %d malformed, "
          "%d unknown port, %d rx full" % (bad["malformed"], bad["unknown"], mal1 - mal0,
                                           unk1 - unk0, full1 - full0))
    print("soak: kernel memory in use before %d, after %d" % (before, after))
    ok = (mal1 - mal0 == bad["malformed"] and unk1 - unk0 == bad["unknown"]
          and full1 - full0 == 0 and after == before)
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
