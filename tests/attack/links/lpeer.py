"""lpeer.py -- a fake clio link peer for the attack tests: speaks the link
protocol (docs/links.md) inside sermux port 5, either as a client of a
node's --serial line (Peer.dial) or as the listener a node's --link dials
(Peer.listen + accept).  Also starts and stops clio nodes."""
import os, socket, struct, subprocess, sys, tempfile, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '../../e2e'))
from muxclient import cobs_encode, cobs_decode

ROOT = os.path.abspath(os.path.join(HERE, '../../..'))
CLIO = os.path.abspath(os.environ.get('CLIO', os.path.join(ROOT, os.environ.get('BUILD', 'build'), 'clio')))
HELLO, ADVERT, ROUTES, REQ, REP, CREDIT, PING, PONG = range(1, 9)
ECHO = bytes.fromhex('6c696f2d6563686f9a414e0b8c110001'); ECHO_IFACE = 0xEC400001
SPAWN = bytes.fromhex('c10f0b5e5a3a4e4d9f6b7370616e7772'); SPAWN_IFACE = 0x59a00002
EVAL = 5

def crc16(data, crc=0xffff):
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
            crc &= 0xffff
    return crc

def lmsg(t, body):
    hdr = bytes([t]) + struct.pack('<H', len(body))
    h = crc16(hdr)
    return bytes([0xc7]) + hdr + bytes([h & 0xff]) + body + struct.pack('<H', crc16(body, h))

def name(s):
    return bytes([len(s)]) + s.encode()

def hello(nm, session):
    return lmsg(HELLO, bytes([1, 1]) + struct.pack('<I', session) + name(nm))

def advert(nm, hops, svcs):
    """svcs: list of (uuid16, iface, svcname)"""
    b = name(nm) + bytes([hops, len(svcs)])
    for u, i, s in svcs:
        b += u + struct.pack('<I', i) + name(s)
    return lmsg(ADVERT, b)

def routes(names):
    return lmsg(ROUTES, bytes([len(names)]) + b''.join(name(n) for n in names))

def req(tag, dst, src, uuid, iface, op, rmax, payload=b''):
    return lmsg(REQ, struct.pack('<I', tag) + name(dst) + name(src) + uuid +
                struct.pack('<IHH', iface, op, rmax) + payload)

def free_port():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); p = s.getsockname()[1]; s.close(); return p

class Peer:
    """One end of a sermux line: port-5 link messages and port-10 shell text."""
    def __init__(self, sock):
        self.s = sock
        self.buf = bytearray()
        self.lbuf = bytearray()
        self.msgs = []               # (type, body) decoded from port 5
        self.shell = ''              # port 10 text
        self.alive = True

    @classmethod
    def dial(cls, port):
        return cls(socket.create_connection(('127.0.0.1', port), timeout=5))

    @staticmethod
    def listen():
        ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(('127.0.0.1', 0)); ls.listen(4)
        return ls, ls.getsockname()[1]

    @classmethod
    def accept(cls, ls, timeout=10):
        ls.settimeout(timeout)
        c, _ = ls.accept()
        return cls(c)

    def send(self, port, payload):
        for i in range(0, max(len(payload), 1), 250):
            self.s.sendall(cobs_encode(port.to_bytes(2, 'little') + payload[i:i + 250]) + b'\0')

    def link(self, data):
        self.send(5, data)

    def say(self, line):
        self.send(10, (line + '\n').encode())

    def poll(self, seconds):
        end = time.time() + seconds
        while True:
            left = end - time.time()
            self.s.settimeout(max(0.005, left))
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                chunk = None
            except OSError:
                self.alive = False; return
            if chunk == b'':
                self.alive = False; return
            if chunk:
                self.buf += chunk
                while 0 in self.buf:
                    i = self.buf.index(0)
                    f = cobs_decode(bytes(self.buf[:i]))
                    del self.buf[:i + 1]
                    if f and len(f) >= 2:
                        port = f[0] | f[1] << 8
                        if port == 5:
                            self.lbuf += f[2:]
                        elif port == 10:
                            self.shell += f[2:].decode('latin-1')
                self._decode()
            if left <= 0:
                return

    def _decode(self):
        b = self.lbuf
        while True:
            i = b.find(0xc7)
            if i < 0:
                b.clear(); return
            del b[:i]
            if len(b) < 5:
                return
            n = b[2] | b[3] << 8
            if len(b) < 7 + n:
                return
            self.msgs.append((b[1], bytes(b[5:5 + n])))
            del b[:7 + n]

    def take(self, typ):
        got = [m for t, m in self.msgs if t == typ]
        self.msgs = [(t, m) for t, m in self.msgs if t != typ]
        return got

    def reps(self):
        """tag -> status of every REP so far (consumed)"""
        return {struct.unpack('<I', m[:4])[0]: struct.unpack('<i', m[4:8])[0] for m in self.take(REP)}

    def wait_shell(self, needle, seconds=10):
        end = time.time() + seconds
        while needle not in self.shell and time.time() < end:
            self.poll(0.1)
        return needle in self.shell

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass

class Nodes:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix='clio-attack-')
        self.procs = {}

    def start(self, nm, args):
        d = os.path.join(self.tmp, nm); os.makedirs(d, exist_ok=True)
        log = open(os.path.join(self.tmp, nm + '.log'), 'w')
        self.procs[nm] = subprocess.Popen([CLIO, '--node', nm] + args, stdin=subprocess.DEVNULL,
                                          stdout=log, stderr=log, cwd=d)
        return self.procs[nm]

    def log(self, nm):
        return open(os.path.join(self.tmp, nm + '.log'), errors='replace').read()

    def stop(self):
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                p.kill()

def result(ok, msg, nodes=None):
    if nodes:
        nodes.stop()
        for nm in nodes.procs:
            lg = nodes.log(nm)
            if 'ERROR: AddressSanitizer' in lg or 'runtime error' in lg:
                print('SANITIZER on %s:\n%s' % (nm, lg[-3000:]))
                ok = False
    print(('PASS: ' if ok else 'FAIL: ') + msg)
    sys.exit(0 if ok else 1)

def pump(peers, seconds):
    """Poll every peer for `seconds`, each sending a PING every 0.5 s (a
    live link)."""
    end = time.time() + seconds
    while time.time() < end:
        for p in peers:
            if p.alive:
                if time.time() - getattr(p, 'last_ping', 0) > 0.5:
                    p.link(lmsg(PING, struct.pack('<I', 1)))
                    p.last_ping = time.time()
                p.poll(0.02)

def handshake(p, nm, session, grant=16, seconds=5):
    """HELLO until the node grants credit, then grant it `grant`; True when
    the link is up."""
    end = time.time() + seconds
    while time.time() < end:
        p.link(hello(nm, session))
        p.poll(0.2)
        if p.take(CREDIT):
            if grant:
                p.link(lmsg(CREDIT, struct.pack('<H', grant)))
            return True
    return False

class Console:
    """A node started with its console on a pipe (no --serial: the shell
    is on stdin/stdout, as tests/e2e/links.py's A)."""
    def __init__(self, nodes, nm, args):
        d = os.path.join(nodes.tmp, nm); os.makedirs(d, exist_ok=True)
        self.log = open(os.path.join(nodes.tmp, nm + '.log'), 'w')
        self.p = subprocess.Popen([CLIO, '--node', nm] + args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.log, cwd=d)
        nodes.procs[nm] = self.p
        os.set_blocking(self.p.stdout.fileno(), False)
        self.out = ''

    def read_for(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            try:
                chunk = self.p.stdout.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                self.out += chunk.decode('latin-1')
            else:
                time.sleep(0.01)

    def type(self, line):
        self.out = ''
        self.p.stdin.write((line + '\n').encode()); self.p.stdin.flush()

    def say(self, line, want, seconds=10):
        """Type a line; the match of want in what follows, or None."""
        import re
        self.type(line)
        end = time.time() + seconds
        while time.time() < end:
            self.read_for(0.05)
            m = re.search(want, self.out, re.S)
            if m:
                return m
        return None
