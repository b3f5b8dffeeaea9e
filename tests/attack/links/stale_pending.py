"""A proxy call that the link took from its queue (l->pending) but could not
send yet -- all 32 request slots of the link busy -- is sent later even
though its caller was told "service gone" meanwhile, and it is sent to
whatever proxy now has the caller's registry index: here a different
service of the node.  send_proxy_req checks that the caller still waits
only through reg_payload, which does not look for an inline payload.

Setup: A serves --serial (the hostile P dials it) and links out to G (fake
node "gee", grants 64 credits, advertises echo).  P sends 32 requests for
gee through A (16, a session restart, 16: finding 1) that G holds
unanswered, so A's link to G has no free request slot.  A's script calls
echo@gee with "zap" (the call waits as l->pending).  G re-advertises gee
with another service S2 instead of echo: A's caller gets -524 at once.
Then G answers the 32 held requests.  Expected: the "zap" request never
reaches G (its caller was told it failed); now G receives it, addressed
to S2."""
from lpeer import *

S2 = b'\x5a' * 16
nodes = Nodes()
ls, pg = Peer.listen()
pa = free_port()
fs = os.path.join(nodes.tmp, 'a.fs')
open(fs, 'w').write('3000 ms\n'
                    'uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" node" gee" connect-on value eh\n'
                    ': go  s" zap" 2 eh pad 64 [\'] call catch ." call: " . cr ;  go\n'
                    '6000 ms bye\n')
a = nodes.start('A', ['--serial', 'tcp:%d' % pa, '--link', 'tcp:127.0.0.1:%d' % pg, fs])
g = Peer.accept(ls)
if not handshake(g, 'gee', 11, grant=64):
    result(False, 'G: no handshake with A', nodes)
g.link(advert('gee', 0, [(ECHO, ECHO_IFACE, 'echo')]) + routes(['gee']))
pump([g], 0.3)
p = Peer.dial(pa)
if not handshake(p, 'evil', 1):
    result(False, 'P: no handshake with A', nodes)
tag = 1
for session in (2, 3):
    for _ in range(16):
        p.link(req(tag, 'gee', 'evil', ECHO, ECHO_IFACE, 1, 64, b'held')); tag += 1
    pump([p, g], 0.3)
    p.link(hello('evil', session))
    pump([p, g], 0.3)
held = g.take(REQ)
print('G holds %d relayed requests' % len(held))
pump([p, g], 3.0 - 1.2 + 1.0)               # A's script calls at ~3 s
g.link(advert('gee', 0, [(S2, 0x5a5a, 'other')]))   # echo goes, S2 comes
pump([p, g], 1)
for m in held:
    g.link(lmsg(REP, m[:4] + struct.pack('<i', 0)))
pump([p, g], 1.5)
late = [m for m in g.take(REQ) if S2 in m or ECHO in m]
zap = [m for m in late if m.endswith(b'zap')]
a.wait(10)
nodes.stop()
log = nodes.log('A')
print('A: %r' % log.strip()[-200:])
print('G got after the answer: %d request(s) with "zap"%s' %
      (len(zap), ' addressed to S2' if any(S2 in m for m in zap) else ''))
result(len(held) == 32 and 'call: -524' in log and not zap,
       'a call told "service gone" was %s later' % ('sent (to S2)' if zap else 'not sent'), nodes)
