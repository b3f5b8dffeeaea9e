"""The decoder finds a real message inside a rejected one (docs/links.md:
"hunting starts again at the next byte"), but only the first: when it
hands that message out it sets have = 0 and the rest of the held bytes --
whole messages among them -- are thrown away unseen (lwire_feed).  Line
noise that makes a valid-looking header (1 in 256 random headers passes
the check) swallows up to 2.3 KB; every message in there but the first is
lost, and their callers wait for the 15 s timeout.

Setup: E serves --serial.  P sends a false start -- a header announcing a
PING of 120 bytes, with a good header check -- whose "body" is three real
REQs to E's echo (tags 1, 2, 3) and padding, then a wrong CRC.  Expected:
three REPs (every real message in the stream is found); now one."""
from lpeer import *

nodes = Nodes()
pe, _ = serve_e(nodes)
p = evil_peer(nodes, pe)
inner = b''.join(req(t, 'E', 'evil', ECHO, ECHO_IFACE, 1, 64, b'm%d' % t) for t in (1, 2, 3))
L = len(inner) + 8
hdr = bytes([PING]) + struct.pack('<H', L)
false = bytes([0xc7]) + hdr + bytes([crc16(hdr) & 0xff]) + inner + b'\x01' * 8 + b'\x00\x00'
p.link(false)
pump([p], 1)
r = p.reps()
print('REPs for the three inner REQs: %r' % r)
result(sorted(r) == [1, 2, 3], 'messages inside a rejected one: %d of 3 found' % len(r), nodes)
