"""A peer's requests to the file service ran on job slots that kept their
registry connection after the request was answered, so what a request made
the service keep stayed: 96 FILES_OPENs (12 bursts of 8) from one peer held
all 64 of node E's file handles, for good -- after the peer left, E's own
shell got "too many open files" -- and a later request landing on the same
slot acted as the same client (it could read or close those handles).

Setup: node E serves --serial; the hostile peer P dials it, opens a.txt
96 times through E's file service and leaves; then the line's next client
types into E's shell.  Expected: the shell opens a.txt (status 0) and
INCLUDED runs it; before: -514."""
import os, struct
from lpeer import *

FILES = bytes.fromhex('66696c65732d73769a414e0b8c110002')
FILES_IFACE = 0xF11E0001
nodes = Nodes()
pe, _ = serve_e(nodes)
with open(os.path.join(nodes.tmp, 'E', 'a.txt'), 'w') as f:
    f.write('40 2 + .\n')
p = evil_peer(nodes, pe)
p.link(advert('evil', 0, []) + routes(['evil']))
pump([p], 0.5)
stats, tag = {}, 100
for _ in range(12):
    for _ in range(8):
        tag += 1
        p.link(req(tag, 'E', 'evil', FILES, FILES_IFACE, 1, 8, struct.pack('<I', 1) + b'a.txt'))
    got, end = {}, time.time() + 3
    while len(got) < 8 and time.time() < end:
        p.poll(0.05)
        got.update(p.reps())
    for st in got.values():
        stats[st] = stats.get(st, 0) + 1
p.close()
time.sleep(1.5)
q = Peer.dial(pe)                  # the line's next client: a user on shell port 10
q.say('s" a.txt" r/o open-file nip .')
q.wait_shell('ok', 5)
q.say('s" a.txt" included')
q.wait_shell('42', 5)
shell = q.shell
q.close()
print("P's %d FILES_OPENs: statuses %s; E's shell then: %r" % (tag - 100, stats, shell[-120:]))
result('0  ok' in shell and '42' in shell and '-514' not in shell,
       "E's shell after P opened a.txt 96 times and left: %r" % shell[-200:], nodes)
