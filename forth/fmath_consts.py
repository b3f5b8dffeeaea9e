#!/usr/bin/env python3
# fmath_consts.py -- prints the constants of forth/fmath_*.c from exact
# integer arithmetic (pi by Machin's formula, ln 2 and ln 10 by atanh
# series, atan(k/8) by Euler's series): 2/pi's words, and double-double
# pairs hi + lo.  Not part of the build; run it to check the tables.
from fractions import Fraction as F
import math
P = 1600  # bits
def atan_inv(n, bits):  # atan(1/n) * 2^bits, integer
    one = 1 << (bits + 20)
    s = 0; k = 0; t = one // n; n2 = n*n
    while t:
        term = t // (2*k+1)
        s += -term if k & 1 else term
        t //= n2; k += 1
    return s >> 20
PI = 16*atan_inv(5, P) - 4*atan_inv(239, P)   # pi * 2^P
pi = F(PI, 1 << P)
def to_dd(x):
    h = float(x); l = float(x - F(h)); return h, l
def hexs(v): return v.hex()
print("pi/2", [hexs(v) for v in to_dd(pi/2)])
print("pi", [hexs(v) for v in to_dd(pi)])
# 2/pi bits: floor(2/pi * 2^(32*40))
N = 32*42
twoopi = (1 << (N + P + 1)) // PI   # 2/pi * 2^N
words = [(twoopi >> (N - 32*(i+1))) & 0xffffffff for i in range(42)]
print("2/pi words", ", ".join("0x%08x" % w for w in words))
# ln2 via atanh series: ln2 = 2 atanh(1/3)
def atanh_inv(n, bits):
    one = 1 << (bits + 20); s = 0; k = 0; t = one // n; n2 = n*n
    while t:
        s += t // (2*k+1); t //= n2; k += 1
    return s >> 20
LN2 = 2*atanh_inv(3, P); ln2 = F(LN2, 1 << P)
# ln2 hi with 42 bits
hi = F(math.floor(ln2 * (1 << 42)), 1 << 42)
print("ln2", [hexs(v) for v in to_dd(ln2)], "L1", hexs(float(hi)), "L2", hexs(float(ln2-hi)), "L3", hexs(float(ln2-hi-F(float(ln2-hi)))))
print("1/ln2", hexs(float(1/ln2)))
# ln10 = ln2*3 + ln(10/8) = 3 ln2 + 2 atanh(1/9)
LN10 = 3*LN2 + 2*atanh_inv(9, P); ln10 = F(LN10, 1 << P)
print("ln10", [hexs(v) for v in to_dd(ln10)])
print("1/ln10", [hexs(v) for v in to_dd(1/ln10)])
print("1/6", [hexs(v) for v in to_dd(F(1,6))], "2/3", [hexs(v) for v in to_dd(F(2,3))], "2/5", [hexs(v) for v in to_dd(F(2,5))], "1/3", [hexs(v) for v in to_dd(F(1,3))])
# atan(k/8) k=0..8 via series atan(x) for rational x: use atan(x) = x sum ... with exact rationals -> use arctan via Euler
def atan_rat(x, bits):
    # atan x = sum (-1)^k x^(2k+1)/(2k+1), x<=1: slow for x=1 -> use atan(x)=2 atan(x/(1+sqrt(1+x^2))) no; use reduction atan(x) = atan(c)+atan((x-c)/(1+xc)) with c = 1/n: Machin-like
    # simple: use Euler's accelerated series: atan(x) = sum 2^(2k)(k!)^2/(2k+1)! * x^(2k+1)/(1+x^2)^(k+1)
    s = F(0); y = x*x/(1+x*x); term = x/(1+x*x); k = 0
    scale = 1 << bits
    acc = 0
    num = x.numerator; den = x.denominator
    # fixed point
    Y = F(num*num, num*num+den*den)
    t = (num*den << bits) // (num*num+den*den)   # x/(1+x^2)
    acc = 0; k = 0
    while t:
        acc += t
        t = t * (2*k+2) * Y.numerator // ((2*k+3) * Y.denominator)
        k += 1
    return F(acc, 1 << bits)
for k in range(9):
    v = atan_rat(F(k, 8), P) if k else F(0)
    print("atan(%d/8)" % k, [hexs(t) for t in to_dd(v)])
print("check atan(1)*4 - pi", float(atan_rat(F(1),P)*4 - pi))
print("check ln10", float(ln10), math.log(10), "ln2", float(ln2))
