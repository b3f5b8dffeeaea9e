"""A peer that says HELLO with a new session (it "restarted") gets a fresh
credit of 16 while the jobs its earlier requests hold go on: by restarting
twice, one peer holds all 32 job slots of a node for up to 15 s at a time
(and can do it again and again), and every request from the node's other
links is refused busy (-520).  docs/links.md: "a node floods REQs -- its
link gets -520 beyond the job slots; other links unaffected"; the credit of
16 per link was meant to bound what one peer holds.

Setup: node E serves --serial (the hostile peer P dials it) and links out
to G, a fake node this script plays, which is slow: it takes REQs and does
not answer them (as a node running a long call would).  P sends requests
for G through E (each one a relay job on E), restarting its session after
every 16.  Then G calls E's echo service.  Expected: 0 (G's link is not
P's); now: -520."""
from lpeer import *

nodes = Nodes()
pe, ls = serve_e(nodes, link=True)
g = fake_gee(nodes, ls, grant=64, services=[(ECHO, ECHO_IFACE, 'echo')])
p = evil_peer(nodes, pe)
pump([p, g], 0.5)
tag = 1
for session in (2, 3, 4):
    for _ in range(16):
        p.link(req(tag, 'gee', 'evil', ECHO, ECHO_IFACE, 1, 64, b'x')); tag += 1
    pump([p, g], 0.3)
    p.link(hello('evil', session))           # "restarted": the link resets, a new credit
    pump([p, g], 0.3)
pump([p, g], 0.5)
reps_p = p.reps()
relayed = len(g.take(REQ))
g.link(req(7, 'E', 'gee', ECHO, ECHO_IFACE, 1, 64, b'hi'))
pump([p, g], 2)
st = g.reps().get(7)
print('P sent %d requests for G over 4 sessions: %d relayed to G, %d answered at once (%s); '
      "then G's echo call to E: %r" % (tag - 1, relayed, len(reps_p), sorted(set(reps_p.values())), st))
result(st == 0, "G's call to E's echo after P's restarts: status %r (want 0)" % st, nodes)
