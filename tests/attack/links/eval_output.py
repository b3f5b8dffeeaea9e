"""What a far node's eval-on reply can do to the caller's terminal: its
output is `type`d raw, so a hostile node's reply writes terminal escape
sequences (clear the screen, move the cursor, set the window title, fake
an " ok" over an error) to the console of whoever ran eval-on.  Names and
service names from peers are checked to be printable (lnodes.c); eval-on
output is not.

Setup: A's console linked to G, a fake node with a spawnulator that
answers an EVAL with code 0 and output "\\e[2J\\e]0;owned\\a...".
Expected: no ESC or BEL byte from G reaches A's terminal (shown as text,
e.g. ^[ or \\e, or dropped); now they do."""
from lpeer import *

nodes = Nodes()
ls, pg = Peer.listen()
a = Console(nodes, 'A', ['--link', 'tcp:127.0.0.1:%d' % pg])
g = fake_gee(nodes, ls, services=[(SPAWN, SPAWN_IFACE, 'spawnulator')], node='A')
a.type('s" 2 3 + ." node" gee" eval-on .')
end = time.time() + 10
answered = False
while time.time() < end and '0  ok' not in a.out:
    pump([g], 0.05)
    a.read_for(0.02)
    for m in g.take(REQ):
        tag = struct.unpack('<I', m[:4])[0]
        out = b'\x1b[2J\x1b[H\x1b]0;owned\x07fake output\r\n'
        g.link(lmsg(REP, struct.pack('<Ii', tag, 0) + struct.pack('<i', 0) + out))
        answered = True
print('G answered: %s; A printed %r' % (answered, a.out))
bad = [c for c in a.out if c in '\x1b\x07']
a.type('bye')
result(answered and not bad, 'control bytes from a far eval on A\'s terminal: %d' % len(bad), nodes)
