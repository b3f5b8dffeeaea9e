"""qemu_links.py -- end to end: a Linux node linked to the QEMU mux image
(node "qemu", its link on port 5 of the UART's mux: docs/links.md).
build/clio --node lin --link tcp:127.0.0.1:PORT against QEMU's serial
server; at lin's console: the qemu node appears, eval-on runs on the
guest, the guest's echo service is called through its proxy, and the
guest's spawnulator lists its tasks."""
import os, re, socket, subprocess, sys, time

BUILD = os.environ.get('BUILD', 'build')
CLIO = os.path.abspath(os.environ.get('CLIO', BUILD + '/clio'))
IMAGE = os.path.abspath(os.environ.get('IMAGE', BUILD + '/clio-riscv64-mux.elf'))
tmp = sys.argv[1]

s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
qemu = subprocess.Popen(['timeout', '-k', '5', '100', 'qemu-system-riscv64', '-machine', 'virt',
                         '-bios', 'default', '-display', 'none', '-monitor', 'none',
                         '-serial', 'tcp:127.0.0.1:%d,server=on,wait=off' % port, '-kernel', IMAGE],
                        stdout=open(os.path.join(tmp, 'qemu.log'), 'w'), stderr=subprocess.STDOUT)
time.sleep(0.5)
lin = subprocess.Popen([CLIO, '--node', 'lin', '--link', 'tcp:127.0.0.1:%d' % port],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                       stderr=open(os.path.join(tmp, 'lin.log'), 'w'), cwd=tmp)
os.set_blocking(lin.stdout.fileno(), False)

def stop_qemu():
    # SIGTERM to timeout(1), which passes it on to QEMU (a SIGKILL would
    # leave QEMU running as an orphan)
    qemu.terminate()
    try:
        qemu.wait(10)
    except subprocess.TimeoutExpired:
        qemu.kill()

def fail(msg):
    print('FAIL: ' + msg)
    lin.kill()
    stop_qemu()
    sys.exit(1)

def say(line, want, seconds=10):
    lin.stdin.write((line + '\n').encode()); lin.stdin.flush()
    out, end = '', time.time() + seconds
    while time.time() < end:
        try:
            chunk = lin.stdout.read()
        except BlockingIOError:
            chunk = None
        if chunk:
            out += chunk.decode('latin-1')
            m = re.search(want, out, re.S)
            if m:
                return m
        else:
            time.sleep(0.02)
    fail('lin: %r: wanted %r, got %r' % (line, want, out))

t = time.time()
say('node" qemu" .', r'1 +ok', 30)
print('the qemu node reachable %.2f s after QEMU started' % (time.time() - t + 0.5))
say('nodes', r'qemu +1 +1 +link 0')
say('s" 6 7 * ." node" qemu" eval-on .', r'42 +0 +ok')
say('s" 1 0 /" node" qemu" eval-on .', r'-10 +ok')
say('uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" node" qemu" connect-on value eh', r'ok')
say('s" guest" 2 eh pad 64 call . pad swap type', r'0 GUEST +ok')
say(': many 0 200 0 do s" x" 1 eh pad 64 call nip + loop . ; many', r'0 +ok', 30)
say('services', r'spawnulator@qemu')
lin.stdin.write(b'bye\n'); lin.stdin.flush()
lin.wait(5)
stop_qemu()
print('qemu_links: all passed')
