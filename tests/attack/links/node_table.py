"""Node numbers stay with a name for the life of the system and there are
16 of them (this node's included), so a peer that advertises 15 made-up
names fills the node table for good: after it has gone (its names
withdrawn, its link closed), no node it did not name can ever be reached
through any link -- a permanent denial of service from one connection
that lasted a second.

Setup: E serves --serial.  P dials it, advertises nodes n1..n15, withdraws
them (ROUTES with none) and leaves.  Q then dials E as node "good" and
advertises itself.  On E's shell (port 10 of the same line): node" good".
Expected: a node number (names nobody reaches any more can be forgotten,
or at least reused); now: -543 after 5 s."""
import re
from lpeer import *

nodes = Nodes()
pe, _ = serve_e(nodes)
p = evil_peer(nodes, pe)
p.link(b''.join(advert('n%d' % i, 1, []) for i in range(1, 16)))
pump([p], 0.5)
p.link(routes([]))
pump([p], 0.5)
p.close()
time.sleep(0.5)
q = Peer.dial(pe)
if not handshake(q, 'good', 2):
    result(False, 'Q: no handshake with E', nodes)
q.link(advert('good', 0, [(ECHO, ECHO_IFACE, 'echo')]) + routes(['good']))
pump([q], 0.5)
q.say('node" good" .')
end = time.time() + 8
while time.time() < end and not re.search(r'(\d+ +ok|-543|rror|node)', q.shell.split('node" good" .')[-1]):
    pump([q], 0.2)
q.say('nodes')
q.wait_shell('good', 2); pump([q], 0.5)
print(q.shell)
ok = re.search(r'(\d+) +ok', q.shell) is not None
result(ok, 'E reaches "good" after a peer named 15 nodes and left: %s' % ('yes' if ok else 'no'), nodes)
