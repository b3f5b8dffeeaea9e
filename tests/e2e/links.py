"""links.py -- end to end: three build/clio nodes on 127.0.0.1 in a line,
A - B - C (A links to B's serial line, B to C's), plus a node E that a
hostile peer talks to.  Run by links.sh; prints what it measured.

  1. A sees B (1 hop) and C (2 hops) within 5 s: nodes, node", services
  2. A runs `cat c.txt` on C (eval-on) and sees C's file and the code 0
  3. A calls C's echo service through B (connect-on, call)
  4. B is killed mid-call (a 3 s eval on C): A's call ends with -524 in
     under 5 s; A's shell goes on
  5. B comes back: A reaches C again (node", echo) -- recovery time printed
  6. B is stopped (SIGSTOP, a hung node): A's call ends with -524 in under
     5 s; B continued, all is well again
  7. E gets garbage on its link port and a REQ flood past its credit from a
     fake peer: counted and refused, E's shell on port 10 answers at once,
     its link comes up for a well-behaved HELLO afterwards
"""
import os, re, signal, socket, subprocess, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from muxclient import Mux
import struct
from linkwire import lmsg, name
SPAWN_IFACE = int(re.search(r'SPAWNULATOR_IFACE (0x[0-9a-f]+)', open(os.path.join(os.path.dirname(__file__), '../../services/tasks/spawnulator.h')).read()).group(1), 16)

BUILD = os.environ.get('BUILD', 'build')
CLIO = os.path.abspath(os.environ.get('CLIO', BUILD + '/clio'))
tmp = sys.argv[1]

def free_port():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); p = s.getsockname()[1]; s.close(); return p

PB, PC, PE = free_port(), free_port(), free_port()
procs = {}

def start(name, args, stdin=subprocess.DEVNULL):
    log = open(os.path.join(tmp, name + '.log'), 'w')
    procs[name] = subprocess.Popen([CLIO, '--node', name] + args, stdin=stdin,
                                   stdout=subprocess.PIPE if stdin == subprocess.PIPE else log,
                                   stderr=log, cwd=os.path.join(tmp, name))
    return procs[name]

def fail(msg):
    print('FAIL: ' + msg)
    for p in procs.values():
        if p.poll() is None:
            p.kill()
    sys.exit(1)

for d in 'ABCE':
    os.makedirs(os.path.join(tmp, d), exist_ok=True)
with open(os.path.join(tmp, 'C', 'c.txt'), 'w') as f:
    f.write('hello from C\n')

start('C', ['--serial', 'tcp:%d' % PC])
start('E', ['--serial', 'tcp:%d' % PE])
start('B', ['--serial', 'tcp:%d' % PB, '--link', 'tcp:127.0.0.1:%d' % PC])
a = start('A', ['--link', 'tcp:127.0.0.1:%d' % PB], stdin=subprocess.PIPE)
os.set_blocking(a.stdout.fileno(), False)
out = ''

def read_for(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        try:
            chunk = a.stdout.read()
        except BlockingIOError:
            chunk = None
        if chunk:
            out += chunk.decode('latin-1')
        else:
            time.sleep(0.01)

def say(line, want, seconds=10):
    """Type a line at A; wait until the output after it matches want."""
    global out
    out = ''
    a.stdin.write((line + '\n').encode()); a.stdin.flush()
    end = time.time() + seconds
    while time.time() < end:
        read_for(0.05)
        m = re.search(want, out, re.S)
        if m:
            return m
    fail('A: %r: wanted %r, got %r' % (line, want, out))

say(': t0 utime drop ;  : ms-since ( t -- ms ) t0 swap - 1000 / ;', r'ok')
# 1
t = time.time()
say('node" C" .', r'2 +ok', 10)
print('C reachable from A %.2f s after start' % (time.time() - t))
m = say('nodes', r'ok')
if not re.search(r'B +1 +1 +link 0', m.string) or not re.search(r'C +2 +2 +link 0', m.string):
    fail('nodes: %r' % m.string)
m = say('services', r'ok')
if 'echo@C' not in m.string or 'spawnulator@B' not in m.string:
    fail('services: %r' % m.string)
# 2
say('s" cat c.txt" node" C" eval-on .', r'hello from C\s+0 +ok')
say('s" 1 0 /" node" C" eval-on .', r'-10 +ok')
# 3
say('uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" node" C" connect-on value eh', r'ok')
say('s" through b" 2 eh pad 64 call . pad swap type', r'0 THROUGH B +ok')
heap0 = int(say('kmem-in-use .', r'(\d+) +ok').group(1))
# 4: B killed in the middle of a 3 s eval on C
say('variable t  : cut  t0 t !  s" 3000 ms" node" C" [\'] eval-on catch . t @ ms-since ." took " . ;', r'ok')
a.stdin.write(b'cut\n'); a.stdin.flush()
out = ''
read_for(0.5)
procs['B'].kill(); procs['B'].wait()
m = re.search(r'(-?\d+) took (\d+)', out) or say('', r'(-?\d+) took (\d+)', 10)
code, took = int(m.group(1)), int(m.group(2))
if code != -524 or took > 5000:
    fail('cut: code %d after %d ms' % (code, took))
print('B killed mid-call: A got %d after %d ms (call started 0.5 s before the kill)' % (code, took))
say('2 3 + .', r'5 +ok')
say('s" again" 2 eh pad 64 call', r'call: service gone')   # the old handle: its service went
# 5: B comes back
t = time.time()
start('B', ['--serial', 'tcp:%d' % PB, '--link', 'tcp:127.0.0.1:%d' % PC])
say('eh disconnect  node" C" drop', r'ok', 15)
say('uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" node" C" connect-on to eh', r'ok')
say('s" back" 2 eh pad 64 call . pad swap type', r'0 BACK +ok')
print('B restarted: A called C again after %.2f s' % (time.time() - t))
# 6: B hangs
say(': hang  t0 t !  s" xyz" 2 eh pad 64 call nip . t @ ms-since ." took " . ;', r'ok')
procs['B'].send_signal(signal.SIGSTOP)
m = say('hang', r'(-?\d+) took (\d+)', 10)
code, took = int(m.group(1)), int(m.group(2))
procs['B'].send_signal(signal.SIGCONT)
if code != -524 or took > 5000:
    fail('hang: code %d after %d ms' % (code, took))
print('B stopped: A got %d after %d ms' % (code, took))
say('node" C" .', r'2 +ok', 15)
# no leak: after a cut, a hang and two recoveries A's kernel heap is where
# it was (within 10%)
say('eh disconnect  uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" node" C" connect-on to eh', r'ok')
say('s" x" 2 eh pad 64 call 2drop', r'ok')
heap1 = int(say('kmem-in-use .', r'(\d+) +ok').group(1))
if abs(heap1 - heap0) > heap0 // 10:
    fail('A kernel heap %d before, %d after' % (heap0, heap1))
print('A kernel heap in use: %d bytes before the faults, %d after' % (heap0, heap1))
# 7: a hostile peer on E's line
mux = Mux(PE)
mux.poll(0.3)
junk = bytes((i * 131 + 7) % 256 for i in range(20000))
for i in range(0, len(junk), 200):
    mux.send(5, junk[i:i + 200])
mux.raw(b'\x01\x02\x03\x00' * 50)              # broken frames
mux.send(5, lmsg(1, bytes([1, 1]) + struct.pack('<I', 77) + name('evil')))
# requests that hold a job for half a second (an EVAL of `500 ms`), far
# past the credit E gave: all but the first 16 are refused at once
spawn = bytes.fromhex('c10f0b5e5a3a4e4d9f6b7370616e7772')
flood = b''.join(lmsg(4, struct.pack('<I', i) + name('E') + name('evil') + spawn +
                      struct.pack('<IHH', SPAWN_IFACE, 5, 64) + b'500 ms') for i in range(400))
for i in range(0, len(flood), 250):
    mux.send(5, flood[i:i + 250])
t = time.time()
mux.send(10, b'2 3 + .\n')
if not mux.wait_for(10, '5  ok', 5):
    fail('E port 10 during the flood: %r' % mux.text(10))
print('E answered on port 10 %.0f ms after the flood' % ((time.time() - t) * 1000))
mux.send(10, b'links\n')
mux.wait_for(10, 'credit', 5)
mux.poll(0.5)
txt = mux.text(10)
m = re.search(r'evil +up +(\d+)/(\d+) +(\d+) +(\d+) +(\d+)/(\d+) +(\d+)', txt)
if not m:
    fail('E links: %r' % txt)
bad, skipped, calls_in, busy = int(m.group(3)), int(m.group(4)), int(m.group(6)), int(m.group(7))
if skipped < 1000 or calls_in < 400 or busy < 350:
    fail('E counted bad %d skipped %d calls %d busy %d' % (bad, skipped, calls_in, busy))
print('E: garbage skipped %d bytes, %d bad; flood of %d requests, %d refused busy' %
      (skipped, bad, calls_in, busy))
mux.close()
# an idle link says little: a PING a second each way (a PING-PONG storm once
# sent thousands a second)
m = say('links', r'ok')
a0 = re.search(r'up +(\d+)/(\d+)', m.string)
read_for(3)
m = say('links', r'ok')
a1 = re.search(r'up +(\d+)/(\d+)', m.string)
sent = int(a1.group(2)) - int(a0.group(2))
if sent > 15:
    fail('A sent %d messages on an idle link in 3 s' % sent)
print('idle link: %d messages from A in 3 s' % sent)
say('bye', r'', 2)
for p in procs.values():
    if p.poll() is None:
        p.kill()
print('links: all passed')
