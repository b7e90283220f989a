#!/usr/bin/env python3
"""A bounded soak of hparsed (at most 60 s): one server, and at the same
time

  300 slow-header clients   a header byte every 20 ms, never finishing: 408 each
  two pipelined bursts      10,000 and 100,000 GET /hello in one stream: all, in order
  garbage and smuggling     random bytes and classic smuggling payloads: answered
                            with the parser's status (where known) and closed
  fragmented POST /echo     Content-Length and chunked, random fragment sizes and
                            pauses: every body back byte for byte, in order
  clients that never read   pipelined large echoes: dropped after --send-timeout
  keep-alive loops          until SIGTERM, which comes at the end: exit 0, every
                            answer complete

and asserts: no sanitizer report, every well-behaved client served
byte-exact and in order, RSS bounded, exit status 0.

  soak.py PATH/TO/hparsed [--sanitized] [--seconds N]"""
import os, random, re, selectors, signal, socket, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpclient import SANITIZER_REPORT, Server, raise_nofile, split_responses

HELLO = b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
SMUGGLING = [  # (payload, status the parser gives)
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", 400),
    (b"GET / HTTP/1.1\nHost: x\n\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
]


class Client:
    """One connection's script: fragments to send (bytes, pause after), the
    answers it must get (None: whatever the server says, then it closes)."""

    def __init__(self, kind, frags, expect, read=True):
        self.kind, self.frags, self.expect, self.read = kind, list(frags), expect, read
        self.sock = None
        self.pending = b""   # the fragment being sent
        self.next_at = 0.0   # when the next fragment may go
        self.buf = b""
        self.got = []        # (status, headers, body)
        self.closed = False
        self.error = None

    def done(self):
        return self.closed or (self.expect is not None and len(self.got) >= len(self.expect)
                               and not self.frags and not self.pending)


def echo_script(rng, n):
    """n POST /echo requests, Content-Length or chunked, cut in random fragments."""
    stream, expect = b"", []
    for _ in range(n):
        body = bytes(rng.randrange(256) for _ in range(rng.choice((0, 1, 100, 5000, 70000))))
        if rng.random() < 0.5:
            stream += b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        else:
            stream += b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            i = 0
            while i < len(body):
                k = rng.randrange(1, 9000)
                stream += b"%x\r\n" % len(body[i:i + k]) + body[i:i + k] + b"\r\n"
                i += k
            stream += b"0\r\n\r\n"
        expect.append((200, body))
    frags, i = [], 0
    while i < len(stream):
        k = rng.choice((1, 7, 100, 1500, 20000))
        frags.append((stream[i:i + k], rng.choice((0, 0, 0, 0.002, 0.01))))
        i += k
    return frags, expect


def main(argv):
    hparsed = [a for a in argv[1:] if not a.startswith("--")][0]
    sanitized = "--sanitized" in argv
    seconds = 40
    if "--seconds" in argv:
        seconds = int(argv[argv.index("--seconds") + 1])
    raise_nofile(4096)
    rng = random.Random(12)
    srv = Server(hparsed, "--quiet", "--header-timeout", "3000", "--send-timeout", "2000",
                 "--max-body", "2097152", nofile=4096,
                 env={"ASAN_OPTIONS": "quarantine_size_mb=32"})
    t0 = time.time()
    clients = []
    for _ in range(300):
        clients.append(Client("slow", [(b"GET /hello HTTP/1.1\r\nHost: x\r\n", 0)] +
                              [(b"X-%d: y\r\n" % i, 0.02) for i in range(100000)], [(408, None)]))
    for n in (10000, 100000):
        clients.append(Client("burst%d" % n, [(HELLO * n, 0)], [(200, b"Hello, World!")] * n))
    for payload, status in SMUGGLING * 3:
        clients.append(Client("smuggle", [(payload + HELLO, 0)], [(status, None)]))
    for _ in range(30):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        clients.append(Client("garbage", [(junk, 0)], None))
    for _ in range(20):
        frags, expect = echo_script(rng, 12)
        clients.append(Client("echo", frags, expect))
    big = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n" + b"n" * 1048576
    for _ in range(10):
        clients.append(Client("noread", [(big * 6, 0)], None, read=False))
    loops = [Client("loop", [(HELLO, 0)] * 100000, None) for _ in range(20)]
    clients += loops

    sel = selectors.DefaultSelector()
    for c in clients:
        c.sock = socket.socket()
        c.sock.setblocking(False)
        if c.kind == "noread":
            c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.sock.connect_ex(("127.0.0.1", srv.port))
        if c.read:
            sel.register(c.sock, selectors.EVENT_READ, c)
    max_rss, signalled, deadline, next_sample = 0, None, t0 + seconds, 0.0
    problems = []

    def finish(c, why=None):
        if not c.closed:
            c.closed = True
            if why:
                c.error = why
            if c.read:
                sel.unregister(c.sock)
            c.sock.close()

    while time.time() < deadline:
        now = time.time()
        well = [c for c in clients if c.kind in ("echo", "smuggle") or c.kind.startswith("burst")]
        if signalled is None and all(c.done() for c in well) and now - t0 > 5:
            srv.p.send_signal(signal.SIGTERM)  # keep-alive loops still running
            signalled = now
        if signalled and all(c.closed or c.kind != "loop" for c in clients) and srv.p.poll() is not None:
            break
        for c in clients:
            if c.closed or not (c.pending or c.frags) or now < c.next_at:
                continue
            if not c.pending:
                if c.kind == "loop" and len(c.got) < 100000 - len(c.frags):
                    continue  # a loop sends its next request once answered
                c.pending, pause = c.frags.pop(0)
                c.next_at = now + pause
            try:
                c.pending = c.pending[c.sock.send(c.pending[:1 << 20]):]
            except (BlockingIOError, InterruptedError):
                pass
            except OSError as e:
                c.pending, c.frags = b"", []
                if c.kind not in ("noread", "slow", "garbage", "smuggle", "loop"):
                    finish(c, "send: %r" % e)
        for key, _ in sel.select(timeout=0.005):
            c = key.data
            try:
                data = c.sock.recv(1 << 20)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as e:
                data = b""
                if c.kind in ("echo", "loop") or c.kind.startswith("burst"):
                    c.error = c.error or "recv: %r" % e
            if not data:
                if c.buf and (c.kind in ("echo", "loop") or c.kind.startswith("burst")):
                    c.error = c.error or "closed inside a response"
                finish(c)
                continue
            c.buf += data
            answers, c.buf = split_responses(c.buf)
            for a in answers:
                i = len(c.got)
                c.got.append(a)
                if c.expect is not None and i < len(c.expect):
                    st, body = c.expect[i]
                    if a[0] != st or (body is not None and a[2] != body):
                        c.error = c.error or "answer %d: %d (want %d), body %s" % (
                            i, a[0], st, "differs" if body is not None and a[2] != body else "ok")
                if a[1].get("connection") == "close" and c.kind == "loop":
                    finish(c)
            if c.done() and c.kind != "loop":
                finish(c)
        if now >= next_sample and srv.alive():
            next_sample = now + 0.1
            try:
                max_rss = max(max_rss, srv.rss_kb())
            except OSError:
                pass
    elapsed = time.time() - t0
    code, err = srv.stop()
    for c in clients:
        if not c.closed:
            c.sock.close()
    # the verdicts
    if SANITIZER_REPORT.search(err):
        problems.append("sanitizer report:\n" + err[-3000:])
    if code != 0:
        problems.append("exit status %s" % code)
    if signalled is None:
        problems.append("the well-behaved clients did not finish within %d s" % seconds)
    by = {}
    for c in clients:
        by.setdefault(c.kind.rstrip("0123456789") if not c.kind.startswith("burst") else c.kind, []).append(c)
    for kind, cs in sorted(by.items()):
        bad = [c for c in cs if c.error]
        if kind in ("echo", "burst10000", "burst100000", "smuggle"):
            short = [c for c in cs if len(c.got) < len(c.expect)]
            if bad or short:
                problems.append("%s: %d of %d clients wrong (%s), %d short" % (
                    kind, len(bad), len(cs), bad[0].error if bad else "", len(short)))
        if kind == "slow":
            n408 = sum(1 for c in cs if c.got and c.got[0][0] == 408)
            if n408 != len(cs):
                problems.append("slow: %d of %d got 408" % (n408, len(cs)))
        if kind == "loop" and bad:
            problems.append("loop: %s" % bad[0].error)
        if kind == "garbage" and any(not c.closed for c in cs):
            problems.append("garbage: %d connections left open" % sum(1 for c in cs if not c.closed))
    rss_limit = 200 * 1024 if sanitized else 48 * 1024
    if max_rss > rss_limit:
        problems.append("RSS %d kB (limit %d kB)" % (max_rss, rss_limit))
    answered = sum(len(c.got) for c in clients)
    print("soak: %.1f s, %d connections, %d answers, peak RSS %d kB, exit %s" % (
        elapsed, len(clients), answered, max_rss, code))
    for p in problems:
        print("FAIL " + p)
    print("soak: %d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
