"""A request relayed toward a link whose peer never grants credit waits in
that link's relay queue for ever: no -531 after 15 s (docs/links.md: "A
REQ that has no REP after 15 s ends with -531"), and its job slot is never
given back.  The "calls that wait for credit ... end with -531" fix
(da1f76d) covers the proxies' queue only, not relay_q.  A peer that
never grants credit (G here) keeps every job relayed toward it; with
jobs_restart.py's trick all 32 slots go for good.

Setup: E serves --serial (P, the asker, dials it) and links out to G (a
fake node that says HELLO, advertises itself, pings, but never sends
CREDIT).  P sends one REQ for G.  Expected: a REP (-531) within ~16 s.
Then P asks for 16 more, and after 17 s E's echo answers another REQ of P
(its 16 slots are back) -- now they are all busy for ever."""
from lpeer import *

nodes = Nodes()
pe, ls = serve_e(nodes, link=True)
g = fake_gee(nodes, ls, grant=0, services=[(ECHO, ECHO_IFACE, 'echo')])
p = evil_peer(nodes, pe)
pump([p, g], 0.5)
t0 = time.time()
for tag in range(1, 17):
    p.link(req(tag, 'gee', 'evil', ECHO, ECHO_IFACE, 1, 64, b'x'))
got = {}
while time.time() - t0 < 18 and len(got) < 16:
    pump([p, g], 0.5)
    got.update(p.reps())
took = time.time() - t0
p.link(req(99, 'E', 'evil', ECHO, ECHO_IFACE, 1, 64, b'hi'))
pump([p, g], 1)
st = p.reps().get(99)
print('16 REQs relayed toward a peer without credit: %d answered in %.1f s (%s); G saw %d; '
      'then an echo call to E: %r' % (len(got), took, sorted(set(got.values())), len(g.take(REQ)), st))
result(len(got) == 16 and st == 0,
       'relayed REQs answered %d/16 within 18 s, echo afterwards %r (want 16 answers, -531, and 0)' %
       (len(got), st), nodes)
