"""Two peers with the same name that say HELLO before either has
advertised: both links come up (the name check looks at the node table,
which only ADVERTs fill), and the second twin's adverts are then dropped
silently -- `links` shows two links "up" to "twin", and one of them can
never be reached.  docs/links.md's fault table: "two nodes with the same
name: the second link is refused (`links` says so)".

Setup: E serves --serial (P1 dials it as "twin") and links out to G (the
second "twin").  Both HELLO, then both advertise themselves.  Expected:
one of E's links to "twin" is "refused"; now both are "up"."""
import re, time
from lpeer import *

nodes = Nodes()
ls, pg = Peer.listen()
pe = free_port()
nodes.start('E', ['--serial', 'tcp:%d' % pe, '--link', 'tcp:127.0.0.1:%d' % pg])
g = Peer.accept(ls)
p = Peer.dial(pe)
ok1 = handshake(g, 'twin', 1)
# the second twin says HELLO for 4 s while the first keeps its link alive
ok2 = False
end = time.time() + 4
while time.time() < end and not ok2:
    p.link(hello('twin', 2))
    pump([p, g], 0.2)
    ok2 = bool(p.take(CREDIT))
for x in (g, p):
    x.link(advert('twin', 0, [(ECHO, ECHO_IFACE, 'echo')]) + routes(['twin']))
pump([p, g], 1)
p.say('links')
p.wait_shell('credit', 3); pump([p, g], 1)
states = re.findall(r'twin +(\w+)', p.shell)
print(p.shell)
print('handshakes: %s %s; E\'s links to "twin": %s' % (ok1, ok2, states))
result(ok1 and not ok2 and 'refused' in states, 'second "twin" refused: %s' % states, nodes)
