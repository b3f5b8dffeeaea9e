"""lpeer.py -- a fake clio link peer for the attack tests: speaks the link
protocol (docs/links.md) inside sermux port 5, either as a client of a
node's --serial line (Peer.dial) or as the listener a node's --link dials
(Peer.listen + accept).  Also starts and stops clio nodes."""
import os, socket, struct, subprocess, sys, tempfile, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '../../e2e'))
from muxclient import cobs_encode, take_frames

ROOT = os.path.abspath(os.path.join(HERE, '../../..'))
CLIO = os.path.abspath(os.environ.get('CLIO', os.path.join(ROOT, os.environ.get('BUILD', 'build'), 'clio')))
from linkwire import *

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
                for port, payload in take_frames(self.buf):
                    if port == 5:
                        self.lbuf += payload
                    elif port == 10:
                        self.shell += payload.decode('latin-1')
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

def serve_e(nodes, link=False):
    """Start node E serving its --serial line (and, with link, linking out to
    a listener this script holds).  Returns (E's line port, the listener or
    None)."""
    ls = pg = None
    if link:
        ls, pg = Peer.listen()
    pe = free_port()
    nodes.start('E', ['--serial', 'tcp:%d' % pe] + (['--link', 'tcp:127.0.0.1:%d' % pg] if link else []))
    if not link:
        time.sleep(0.5)
    return pe, ls

def fake_gee(nodes, ls, grant=16, services=None, node='E'):
    """Take the node's outbound link on ls as fake node "gee": handshake with
    `grant` credit; advertise `services` (a list; None: no advert yet)."""
    g = Peer.accept(ls)
    if not handshake(g, 'gee', 11, grant=grant):
        result(False, 'G: no handshake with %s' % node, nodes)
    if services is not None:
        g.link(advert('gee', 0, services) + routes(['gee']))
        pump([g], 0.5)
    return g

def evil_peer(nodes, pe, node='E'):
    """Dial a node's line as the hostile peer "evil" and shake hands."""
    p = Peer.dial(pe)
    if not handshake(p, 'evil', 1):
        result(False, 'P: no handshake with %s' % node, nodes)
    return p

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
