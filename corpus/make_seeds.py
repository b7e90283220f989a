#!/usr/bin/env python3
"""Writes the seed corpora corpus/<harness>/ from the project's own inputs:
the rule vectors of the unit tests (tests/parser/test_request.c and
test_chunked.c) and below, tests/cli/cases/*.http, the conformance vectors
(tests/conformance/requests.jsonl) and bench/requests/*.http, each framed
for the harness (the harnesses take option bytes before the request).
Run from anywhere: python3 corpus/make_seeds.py. Seeds are named by content
hash, so re-running is idempotent; corpus/regressions/ is never touched.
With --check it writes nothing and fails (exit 1), naming what is missing,
when a seed the inputs make is not in the corpus (ctest corpus.seeds_current:
a new unit test vector reaches the fuzzers' seeds, not only the unit test)."""
import ast, base64, glob, hashlib, json, os, re, sys

CHECK = "--check" in sys.argv[1:]
MISSING = []

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Hand-written chunked bodies covering RULES C1-C5, accepted and rejected.
CHUNKED = [
    b"5\r\nhello\r\n0\r\n\r\n", b"0005\r\nhello\r\n000\r\n\r\n",
    b"5;a=b;c=\"d \\\" e\"\r\nhello\r\n0;x\r\nT: v\r\n\r\n",
    b"5 ; a = b\r\nhello\r\n0\r\n\r\n", b"a\r\n0123456789\r\nA\r\nABCDEFGHIJ\r\n0\r\n\r\n",
    b"0x5\r\nhello\r\n0\r\n\r\n", b"+5\r\n", b"-5\r\n", b"5_0\r\n", b"\r\n", b" 5\r\n",
    b"5 \r\nhello\r\n", b"8000000000000000\r\n", b"7fffffffffffffff\r\nab",
    b"5;\r\n", b"5;=b\r\n", b"5;a=\r\n", b"5;a b\r\n", b"5;a\rb\r\n", b"5;a\nb\r\n",
    b"5;a=\"b\x01\"\r\n", b"5\r\nhelloX\r\n", b"5\r\nhello\rXX", b"5\r\nhello\n0\r\n\r\n",
    b"5\nhello\n0\nA: b\n\n", b"0\r\nX : y\r\n\r\n", b"0\r\nX: a\r\n b\r\n\r\n",
    b"0\r\n: y\r\n\r\n", b"0\r\nNoColon\r\n\r\n", b"0\r\nX: a\x00b\r\n\r\n", b"0\r\n\rX",
    b"5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n",
]

# Edges no other seed stood on, for fuzz_reference (two limits bytes first:
# \x00\x00 the defaults, \x10 and b the small limits of fuzz/common.h's
# take_limits: max_chunk_ext 1 + (b & 31), max_headers 1 + (b & 7),
# max_head 16 + 4b). Each is where an injected bug survived the harnesses
# in the full mutation run (docs/fuzzing.md, "harnesses alone").
CH = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
def host(v):
    return b"\x00\x00GET / HTTP/1.1\r\nHost: " + v + b"\r\n\r\n"
REFERENCE_EDGES = [
    # a chunk extension exactly at the limit (4), then a bare CR or LF: C5, not C2
    b"\x10\x23" + CH + b"5;abc\rx", b"\x10\x23" + CH + b"5;abc\nx",
    # the second chunk's extension at the limit (3): the count starts again
    b"\x10\x22" + CH + b"1;ab\r\nx\r\n0;ab\r\n\r\n",
    # the largest chunk size, and one past it
    b"\x00\x00" + CH + b"7fffffffffffffff\r\nab", b"\x00\x00" + CH + b"8000000000000000\r\n",
    # exactly max_headers (2) trailers; a trailer section exactly max_head (148) long, unended
    b"\x10\x21" + CH + b"0\r\nA: 1\r\nB: 2\r\n\r\n", b"\x10\x21" + CH + b"0\r\nX: " + b"a" * 145,
    # a quoted transfer-parameter that does not end, one with no value (B3)
    b"\x00\x00POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip;a=\"b, chunked\r\n\r\n",
    b"\x00\x00POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip;a=, chunked\r\n\r\n",
    # a head exactly max_head (148) long that has not ended: incomplete, not too large
    b"\x10\x21GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 120,
    # F8's edges: an octet of 255, seven groups with "::", IPvFuture with and
    # without a hex digit, a %XX cut short at the end, ports with 9 and with ':'
    host(b"[::255.255.255.255]"), host(b"[1:2:3:4:5:6::7]"), host(b"[1:2:3:4:5:6:7::]"),
    host(b"[::2:3:4:5:6:7:8]"), host(b"[v1.x]"), host(b"[v.x]"), host(b"a%4"), host(b"a%"),
    host(b"x:9"), host(b"x:89"), host(b"x:1:2"), host(b"x::"), host(b"x:80"), host(b"z.xyz:0"), host(b"a{b"),
    host(b"a`b"), host(b"zz"), host(b"a{b.example.org.test"), host(b"a`b.example.org.test"),
    # versions the one-look test leaves to the byte loop: a 9, a 0
    b"\x00\x00GET / HTTP/1.9\r\nHost: x\r\n\r\n", b"\x00\x00GET / HTTP/9.1\r\nHost: x\r\n\r\n",
    b"\x00\x00GET / HTTP/0.9\r\nHost: x\r\n\r\n", b"\x00\x00GET / HTTP/9.x\r\nHost: x\r\n\r\n",
    b"\x00\x00GET / HTTP/1.9 \r\nHost: x\r\n\r\n", b"\x00\x00GET / HTTP/8.8x\r\nHost: x\r\n\r\n",
] + [
    # HTTP/1.1 with each byte made another, where the one-look test and the
    # byte loop must agree
    b"\x00\x00GET / " + v[:i] + c + v[i + 1:] + b"\r\nHost: x\r\n\r\n"
    for v in [b"HTTP/1.1"] for i in range(8) for c in (b"x", b"9")
] + [
    # the framing fields' names with each byte made another: ordinary fields
    # (the case-folded compare must look at every byte)
    b"\x00\x00POST / HTTP/1.1\r\nHost: x\r\n" + n[:i] + b"x" + n[i + 1:] + v + b"\r\n\r\nabcde"
    for n, v in [(b"Content-Length", b": 5"), (b"Transfer-Encoding", b": chunked")] for i in range(len(n))
] + [
    # an HTAB in a long field value, where the wide scans read it
    b"\x00\x00GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: " + b"a" * k + b"\tb" + b"a" * 300 + b"\r\n\r\n"
    for k in (3, 40, 100, 250)
]

# For fuzz_scan (raw bytes): an HTAB inside a long value, where the long
# scans (SSE2, AVX2) read 32 or 64 bytes at once; the scans must find the
# same end as the plain reading.
SCAN_EDGES = [b"a" * k + b"\tb" + b"a" * 200 + b"\r\n" for k in (0, 31, 64, 100)] + [
    # hosts with the letters at the ends of the range the SSE2 host test
    # computes ('a', 'z', 'A', 'Z') and the bytes beside them ('`', '{', '@', '[')
    b"zaZA.example:8090\r\n", b"a{b.example\r\n", b"a`b.example\r\n", b"Z@[z]:1\r\n",
    b"a{b.example.org.test\r\n", b"a`b.example.org.test\r\n", b"Z@[z].example.org.test:1\r\n",
]

# Folds under the lenient flags, for fuzz_request ('~', then every lenient
# flag and the default limits): in a Connection list, after a plain field,
# after a framing field (F3 even when lenient) and before the first field.
def folded(fields):
    return b"~\x0f\x00GET / HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n"
REQUEST_EDGES = [
    folded(b"Connection: keep-alive,\r\n close\r\n"), folded(b"Connection: close\r\n\t,upgrade\r\nUpgrade: a\r\n"),
    folded(b"X-A: a\r\n b\r\n"), folded(b"X-A: a\n  b\n"), folded(b"Content-Length: 1\r\n 2\r\n"),
    folded(b"Content-Length: 0\r\n \r\n"), folded(b"Transfer-Encoding: gzip,\r\n chunked\r\n"),
    b"~\x0f\x00GET / HTTP/1.1\r\n folded\r\nHost: x\r\n\r\n",
    # the last_len hint at a head exactly max_head (20) long with an error
    # in it: no head end in the new bytes, so 0, not the error (the harness
    # takes the hint 2 from the last byte 'N')
    b"~\x10\x01GE\x01 / HTTP/1.1\r\nHoNN",
]

def c_literals(path, calls, macros):
    """The first argument of each call to one of `calls` in a C test file:
    adjacent string literals (and the named macros) joined, C escapes decoded."""
    text = open(os.path.join(ROOT, path)).read()
    out = []
    for m in re.finditer(r"\b(?:%s)\(((?:\s*(?:\"(?:[^\"\\]|\\.)*\"|[A-Z0-9_]+))+)\s*," % "|".join(calls), text):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"|([A-Z0-9_]+)', m.group(1))
        data = b""
        for lit, name in parts:
            if name:
                if name not in macros:
                    break
                data += macros[name]
            else:
                data += ast.literal_eval('b"' + lit + '"')
        else:
            out.append(data)
    return out


def heads():
    macros = {"H11": b"GET / HTTP/1.1\r\nHost: x\r\n", "POST11": b"POST /p HTTP/1.1\r\nHost: x\r\n"}
    out = c_literals("tests/parser/test_request.c", ["ACCEPT", "REJECT", "ACCEPT_LIM", "REJECT_LIM"], macros)
    for p in sorted(glob.glob(os.path.join(ROOT, "tests/cli/cases/*.http"))):
        args = p[:-5] + ".args"
        if os.path.exists(args) and "--unescape" in open(args).read():
            continue  # escaped text, not raw bytes
        data = open(p, "rb").read()
        if data and len(data) < 20000:
            out.append(data)
    for line in open(os.path.join(ROOT, "tests/conformance/requests.jsonl")):
        v = json.loads(line)
        data = base64.b64decode(v["input_b64"])
        if data and len(data) < 20000:
            out.append(data)
    for p in sorted(glob.glob(os.path.join(ROOT, "bench/requests/*.http"))):
        out.append(open(p, "rb").read())
    return out

def bodies(msgs):
    """The bytes after the head of chunked messages: decoder seeds."""
    out = []
    for m in msgs:
        i = m.find(b"\r\n\r\n")
        if i > 0 and re.search(rb"(?i)transfer-encoding:[^\r\n]*chunked", m[:i]):
            out.append(m[i + 4:])
    return out

def write(harness, seeds):
    d = os.path.join(ROOT, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    n = 0
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()[:16]
        path = os.path.join(d, name)
        if not os.path.exists(path):
            if CHECK:
                MISSING.append("corpus/%s/%s" % (harness, name))
            else:
                open(path, "wb").write(s)
            n += 1
    if not CHECK:
        print("corpus/%s: %d seeds (%d new)" % (harness, len(set(seeds)), n))

def settings_of(m):
    """Two settings bytes for fuzz_server (the schedule), from m's hash."""
    d = hashlib.sha1(m).digest()
    return bytes([d[0] % 16, d[1]])

def main():
    h = heads()
    strict, lenient = b"\x00\x00", b"\x0f\x00"
    write("request", h + [b"~" + lenient + x for x in h[:120]] + [b"~\x1f\x07" + x for x in h[:60]] + REQUEST_EDGES)
    write("differential", h)
    write("scan", SCAN_EDGES)
    write("simd", h + [b"~" + lenient + x for x in h[:120]])
    write("message", [strict + m for m in h] + [lenient + m for m in h[:80]])
    write("split", [b"\x00\x00" + strict + m for m in h] + [b"\x02\x03\x10\x05" + strict + m for m in h[:120]])
    # (the settings bytes from the message's own hash, not its place in
    # the list: a new vector adds one seed, not a new prefix to all after it)
    write("server", [settings_of(m) + m for m in h])
    chunk = CHUNKED + c_literals("tests/parser/test_chunked.c", ["DECODES", "FAILS", "DECODES_LIM", "FAILS_LIM"], {}) + bodies(h)
    # the decoder's vectors as whole messages too: the reference reads the body
    write("reference", [strict + m for m in h] + REFERENCE_EDGES + [strict + CH + c for c in chunk])
    rt = [b"\x01\x03\x10\x85\x22" + bytes(range(256))[i:i + 40] for i in range(0, 256, 40)]
    write("chunked", [b"\x00" + strict + c for c in chunk] + [b"\x00" + lenient + c for c in CHUNKED] + rt)

if __name__ == "__main__":
    main()
    if MISSING:
        sys.stderr.write("make_seeds: %d seeds the test vectors make are missing, e.g. %s: "
                         "run python3 corpus/make_seeds.py and commit corpus/\n" % (len(MISSING), MISSING[0]))
        sys.exit(1)
    if CHECK:
        print("make_seeds: every seed the test vectors make is in corpus/")
