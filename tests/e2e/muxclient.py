"""muxclient.py -- a sermux client for the end-to-end tests: COBS frames
(port u16 little-endian + payload, then 0x00) over a TCP line."""
import socket, time

def cobs_encode(data):
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out.append(len(block) + 1); out += block; block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out.append(255); out += block; block = bytearray()
    out.append(len(block) + 1); out += block
    return bytes(out)

def cobs_decode(data):
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        if code == 0 or i + code > len(data):
            return None
        out += data[i + 1:i + code]
        i += code
        if code < 255 and i < len(data):
            out.append(0)
    return bytes(out)

def take_frames(buf):
    """Remove every whole frame from buf (a bytearray): [(port, payload)];
    malformed frames and ones shorter than the port are dropped."""
    frames = []
    while 0 in buf:
        i = buf.index(0)
        f = cobs_decode(bytes(buf[:i]))
        del buf[:i + 1]
        if f and len(f) >= 2:
            frames.append((f[0] | f[1] << 8, f[2:]))
    return frames

class Mux:
    def __init__(self, port, host='127.0.0.1', timeout=5):
        self.s = socket.create_connection((host, port), timeout=timeout)
        self.buf = bytearray()
        self.frames = []

    def raw(self, data):
        self.s.sendall(data)

    def send(self, port, payload):
        self.raw(cobs_encode(port.to_bytes(2, 'little') + payload) + b'\0')

    def poll(self, seconds):
        """Read for up to `seconds`; decoded frames go to self.frames."""
        end = time.time() + seconds
        while time.time() < end:
            self.s.settimeout(max(0.01, end - time.time()))
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            self.buf += chunk
            self.frames += take_frames(self.buf)

    def text(self, port):
        return b''.join(p for n, p in self.frames if n == port).decode('latin-1')

    def wait_for(self, port, needle, seconds=10):
        end = time.time() + seconds
        while time.time() < end:
            if needle in self.text(port):
                return True
            self.poll(0.1)
        return needle in self.text(port)

    def close(self):
        self.s.close()
