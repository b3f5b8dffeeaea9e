"""The 64 proxies are shared by all links and first come, first served: one
peer that advertises 3 nodes with 24 services each takes every proxy, and
the services of nodes on the node's other links cannot be reached while it
stays (they are "retried at the next advert" -- and fail again).  The
issue wants a flooding node "contained ... others unaffected".

Setup: E serves --serial (P dials it) and links out to G (a fake node with
one service, echo, advertised after P's adverts).  On E's shell (port 10
of P's line): `services`.  Expected: echo@gee listed (P's share is
bounded); now it is missing."""
import re
from lpeer import *

nodes = Nodes()
pe, ls = serve_e(nodes, link=True)
g = fake_gee(nodes, ls)
p = evil_peer(nodes, pe)
fake = lambda n, k: (bytes([n, k]) + b'\x11' * 14, 0x1234, 's%d' % k)
for n in range(3):
    p.link(advert('x%d' % n, 1, [fake(n, k) for k in range(24)]))
p.link(routes(['x0', 'x1', 'x2']))
pump([p, g], 0.5)
g.link(advert('gee', 0, [(ECHO, ECHO_IFACE, 'echo')]) + routes(['gee']))
pump([p, g], 1)
p.say('services')
p.wait_shell(' ok', 5)
pump([p, g], 0.3)
txt = p.shell
nproxy = len(re.findall(r'@x\d', txt))
print('E lists %d of P\'s services; echo@gee %s' % (nproxy, 'listed' if 'echo@gee' in txt else 'missing'))
result('echo@gee' in txt, "G's echo reachable on E while P advertises 72 services", nodes)
