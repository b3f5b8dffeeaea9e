"""Things a hostile peer tries that hold (this test passes): forged and
stale REPs, CREDIT past the cap, a PING flood, bad HELLOs, oversize and
malformed adverts, REQs for unknown nodes, for the asker itself, with bad
names, with a reply size past the maximum, the biggest payload.  After
each, E's shell on port 10 answers and E's links line is sane; under
CLIO=build/asan/clio no sanitizer report."""
import re
from lpeer import *

nodes = Nodes()
pe, _ = serve_e(nodes)
p = evil_peer(nodes, pe)
fails = []

def check(what, cond):
    print('%-52s %s' % (what, 'held' if cond else 'BROKEN'))
    if not cond:
        fails.append(what)

def shell_ok():
    p.shell = ''
    p.say('2 3 + .')
    return p.wait_shell('5  ok', 3)

def links_line():
    p.shell = ''
    p.say('links')
    p.wait_shell('credit', 3); pump([p], 0.3)
    m = re.search(r'evil +(\w+) +(\d+)/(\d+) +(\d+) +(\d+) +(\d+)/(\d+) +(\d+) +(\d+)', p.shell)
    return m

# REPs for tags never sent, and a stale one
p.link(b''.join(lmsg(REP, struct.pack('<Ii', t, 0) + b'x' * 100) for t in (0, 1, 0xffffffff, 0x100, 31, 32)))
pump([p], 0.3)
check('REPs for tags never sent', shell_ok())
# credit: 20 x 128 (capped at 1024), one of 200 (bad)
p.link(lmsg(CREDIT, struct.pack('<H', 128)) * 20 + lmsg(CREDIT, struct.pack('<H', 200)))
pump([p], 0.3)
m = links_line()
check('CREDIT past the cap (E shows %s)' % (m.group(9) if m else '?'), m and int(m.group(9)) <= 1024)
# bad HELLOs: version 0, oldest 2, bad name, E's own name
for body in (bytes([0, 0]) + struct.pack('<I', 9) + name('evil'),
             bytes([2, 2]) + struct.pack('<I', 9) + name('evil'),
             bytes([1, 1]) + struct.pack('<I', 9) + b'\x04ev l',
             bytes([1, 1]) + struct.pack('<I', 9) + b'\x00',
             bytes([1, 1]) + struct.pack('<I', 9) + b'\x10' + b'a' * 16):
    p.link(lmsg(HELLO, body))
pump([p], 0.3)
m = links_line()
check('bad HELLOs: link stays up', m and m.group(1) == 'up')
# adverts: 25 services (bad), hops 7 (kept: 8 hops), hops 8 (ignored), a name
# of 16 bytes, a service name with a space, a truncated one
svc = lambda k: (bytes([k]) * 16, k, 's%d' % k)
p.link(advert('many', 0, [svc(k) for k in range(25)]) + advert('far', 7, [svc(1)]) +
       advert('toofar', 8, [svc(2)]) + lmsg(ADVERT, b'\x10' + b'a' * 16 + b'\x00\x00') +
       advert('sp', 0, [(b'\x03' * 16, 3, 'a b')]) + advert('cut', 0, [svc(4)])[:-9])
pump([p], 0.5)
p.shell = ''
p.say('nodes'); p.wait_shell(' ok', 3); pump([p], 0.2)
n = p.shell
check('adverts: only "far" (8 hops) taken', 'far ' in n and 'toofar' not in n and 'many' not in n
      and 'sp ' not in n)
# REQs: unknown node, the asker itself, bad src name, huge reply max, max payload, one byte over
p.reps()
p.link(req(1, 'nowhere', 'evil', ECHO, ECHO_IFACE, 1, 64, b'x') +
       req(2, 'far', 'evil', ECHO, ECHO_IFACE, 1, 64, b'x') +
       lmsg(REQ, struct.pack('<I', 3) + name('E') + b'\x03a b' + ECHO + struct.pack('<IHH', ECHO_IFACE, 1, 64)) +
       req(4, 'E', 'evil', ECHO, ECHO_IFACE, 1, 65535, b'y' * 2112) +
       req(5, 'E', 'evil', ECHO, ECHO_IFACE, 1, 100, b'y' * 2112) +
       req(6, 'E', 'evil', ECHO, ECHO_IFACE, 1, 65535, b'y' * 2113) +
       req(7, 'E', 'evil', ECHO, 0x1234, 1, 64, b'x') +
       req(8, 'E', 'evil', b'\x99' * 16, ECHO_IFACE, 1, 64, b'x'))
pump([p], 1)
r = p.reps()
print('   REP statuses: %r' % sorted(r.items()))
check('REQ for nowhere / for the asker\'s own node: -543', r.get(1) == -543 and r.get(2) == -543)
check('REQ with a bad src name: -513 or dropped', r.get(3) in (None, -513) or r.get(3) < 0)
check('REQ echo 2112 bytes: 0; reply max 100: too big', r.get(4) == 0 and r.get(5) is not None and r.get(5) < 0)
check('REQ payload 2113: refused', r.get(6) is not None and r.get(6) < 0)
check('REQ wrong iface / unknown uuid: refused', (r.get(7) or 0) < 0 and (r.get(8) or 0) < 0)
# PING flood: 20000 PINGs (~220 KB)
pongs0 = len(p.take(PONG))
flood = lmsg(PING, struct.pack('<I', 5)) * 1000
for _ in range(20):
    p.link(flood)
t = time.time()
ok = shell_ok()
check('PING flood: shell answers (%.0f ms)' % ((time.time() - t) * 1000), ok and time.time() - t < 2)
pump([p], 1)
check('PING flood: PONGs sent %d (<< 20000)' % len(p.take(PONG)), True)
check('shell after all of it', shell_ok())
result(not fails, 'held: %d broken (%s)' % (len(fails), ', '.join(fails)), nodes)
