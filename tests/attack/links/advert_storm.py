"""Every change in what a node reaches is advertised to every other link at
once, and a peer can make a change with every ADVERT it sends (a node's
service list one way, then the other).  The control budget throttles what
the peer sends, but not what it makes the node send to the others: E
re-advertises everything it knows to G for each change P makes.

Setup: E serves --serial (P dials it) and links out to G (a quiet fake
node).  P advertises three nodes with 24 services each (once), then
alternates an advert of node x with 0 and with 1 service for
3 s.  Counted: the ADVERT messages and bytes G receives from E in those
3 s (E by itself sends G one advert of each node every 5 s).  Expected:
at most a few dozen (changes coalesced, or the flooding link's changes
rate-limited); a flooding peer "slows only its own link"."""
from lpeer import *

nodes = Nodes()
pe, ls = serve_e(nodes, link=True)
g = fake_gee(nodes, ls, services=[])
p = evil_peer(nodes, pe)
fake = lambda n, k: (bytes([n, k]) + b'\x11' * 14, 0x1234, 'service%d' % k)
p.link(b''.join(advert('big%d' % n, 1, [fake(n, k) for k in range(24)]) for n in range(3)))
pump([p, g], 1)
g.msgs = []
svc = [(b'\x22' * 16, 1, 'svc')]
a0, a1 = advert('x', 1, []), advert('x', 1, svc)
end = time.time() + 3
sent = 0
while time.time() < end:
    p.link((a0 + a1) * 20)
    sent += 40
    pump([p, g], 0.01)
pump([p, g], 0.3)
adv = [m for t, m in g.msgs if t in (ADVERT, ROUTES)]
nbytes = sum(len(m) + 7 for m in adv)
print('P sent %d small adverts (%d bytes) in 3 s; G got %d ADVERT/ROUTES messages (%d bytes) from E' %
      (sent, sent * len(a0 + a1) // 2, len(adv), nbytes))
result(len(adv) <= 60, "E's adverts to G caused by P's flapping: %d in 3 s (want <= 60)" % len(adv), nodes)
