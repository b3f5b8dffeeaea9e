"""linkwire.py -- the link protocol's messages (docs/links.md) for the
Python tests that play link peers: tests/e2e/links.py and the attack tests'
lpeer.py."""
import struct

HELLO, ADVERT, ROUTES, REQ, REP, CREDIT, PING, PONG = range(1, 9)
ECHO = bytes.fromhex('6c696f2d6563686f9a414e0b8c110001'); ECHO_IFACE = 0xEC400001
SPAWN = bytes.fromhex('c10f0b5e5a3a4e4d9f6b7370616e7772'); SPAWN_IFACE = 0x59a00002
EVAL = 5

def crc16(data, crc=0xffff):
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
            crc &= 0xffff
    return crc

def lmsg(t, body):
    hdr = bytes([t]) + struct.pack('<H', len(body))
    h = crc16(hdr)
    return bytes([0xc7]) + hdr + bytes([h & 0xff]) + body + struct.pack('<H', crc16(body, h))

def name(s):
    return bytes([len(s)]) + s.encode()

def hello(nm, session):
    return lmsg(HELLO, bytes([1, 1]) + struct.pack('<I', session) + name(nm))

def advert(nm, hops, svcs):
    """svcs: list of (uuid16, iface, svcname)"""
    b = name(nm) + bytes([hops, len(svcs)])
    for u, i, s in svcs:
        b += u + struct.pack('<I', i) + name(s)
    return lmsg(ADVERT, b)

def routes(names):
    return lmsg(ROUTES, bytes([len(names)]) + b''.join(name(n) for n in names))

def req(tag, dst, src, uuid, iface, op, rmax, payload=b''):
    return lmsg(REQ, struct.pack('<I', tag) + name(dst) + name(src) + uuid +
                struct.pack('<IHH', iface, op, rmax) + payload)
