"""Topologies that hold (this test passes): a ring A-B-C-A closed after
A-B-C is up (C->A is refused on both ends, and comes up when B dies, so
A reaches C directly); a line of 10 nodes N0..N9 (N0 reaches N8 at 8
hops, eval-on through 7 relays; N9 is beyond the hop limit, -543)."""
import re, socket, threading
from lpeer import *

def script(nodes, nm, text):
    path = os.path.join(nodes.tmp, nm + '.fs')
    open(path, 'w').write(text)
    return path

fails = []
# ---- ring
nodes = Nodes()
pa, pb, pc = free_port(), free_port(), free_port()
ls, px = Peer.listen()
go = threading.Event()

def forward():
    c, _ = ls.accept()
    go.wait()
    s = socket.create_connection(('127.0.0.1', pa))
    def pipe(x, y):
        try:
            while True:
                d = x.recv(65536)
                if not d:
                    break
                y.sendall(d)
        except OSError:
            pass
        for z in (x, y):
            try:
                z.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
    threading.Thread(target=pipe, args=(c, s), daemon=True).start()
    threading.Thread(target=pipe, args=(s, c), daemon=True).start()

threading.Thread(target=forward, daemon=True).start()
fs = script(nodes, 'ring', '9000 ms nodes links\ns" 2 3 + ." node" C" eval-on . cr\n'
                           '8000 ms nodes links\ns" 2 3 + ." node" C" eval-on . cr\nbye\n')
nodes.start('C', ['--serial', 'tcp:%d' % pc, '--link', 'tcp:127.0.0.1:%d' % px])
nodes.start('B', ['--serial', 'tcp:%d' % pb, '--link', 'tcp:127.0.0.1:%d' % pc])
nodes.start('A', ['--serial', 'tcp:%d' % pa, '--link', 'tcp:127.0.0.1:%d' % pb, fs])
time.sleep(4)
go.set()                                   # C -> A closes the ring
time.sleep(7)
nodes.procs['B'].kill()
nodes.procs['A'].wait(40)
nodes.stop()
log = nodes.log('A')
print(log)
parts = log.split('5 0')
if len(parts) != 3 or not re.search(r'C +refused', parts[0]) or not re.search(r'C +2 +2 +link 1', parts[0]) \
        or not re.search(r'C +2 +1 +link 0', parts[1]) or not re.search(r'C +up', parts[1]):
    fails.append('ring')
# ---- line of 10
nodes = Nodes()
N = 10
ports = [free_port() for _ in range(N)]
for i in range(N - 1, 0, -1):
    nodes.start('N%d' % i, ['--serial', 'tcp:%d' % ports[i]] +
                (['--link', 'tcp:127.0.0.1:%d' % ports[i + 1]] if i + 1 < N else []))
fs = script(nodes, 'line', '10000 ms nodes\ns" 2 3 + ." node" N8" eval-on . cr\n'
                           's" 2 3 + ." node" N9" \' eval-on catch . cr\nbye\n')
nodes.start('N0', ['--link', 'tcp:127.0.0.1:%d' % ports[1], fs])
nodes.procs['N0'].wait(60)
nodes.stop()
log = nodes.log('N0')
print(log)
if not re.search(r'N8 +8 +8 +link 0', log) or 'N9 ' in log.split('5 0')[0] or '5 0' not in log \
        or 'no such node' not in log:
    fails.append('line')
result(not fails, 'topologies: %s' % (fails or 'all held'))
