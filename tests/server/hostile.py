#!/usr/bin/env python3
"""hparsed against hostile and careless clients, judged by what nginx does
with the same clients (issue 12's table; each test is one row):

  slow_headers        300 clients send a header byte every 5 ms: each gets 408, no crash
  sigterm_under_load  SIGTERM while 100 keep-alive clients loop: exit 0, every answer whole
  pipelined_bursts    200 / 1,000 / 10,000 requests in one write: every one answered, in order
  two_large_echoes    two pipelined 1,000,000-byte POST /echo: both 200, bodies byte-exact
  lingering_close     an error with a large unread remainder, a 4 KiB receive buffer:
                      every answer and the error arrive, and no RST
  never_reading       clients that never read big responses: dropped after --send-timeout,
                      descriptors and memory back
  idle_memory         10,000 idle keep-alive connections: <= 2 KiB each, also after 1 MB POSTs
  absolute_form       GET http://h/hello HTTP/1.1 is routed on its path
  slow_upload         an upload slower than --header-timeout in total but steady: 200;
                      one that stalls past --body-timeout: 408

  hostile.py PATH/TO/hparsed [--sanitized] [TEST...]

The server binds 127.0.0.1 on an ephemeral port; every socket has a
timeout, every loop a bound, and every server started is stopped by its
PID. A sanitizer report on the server's stderr fails the test."""
import os, selectors, signal, socket, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpclient import (SANITIZER_REPORT, T, Server, closed, raise_nofile, read_response,
                      read_to_eof, split_responses)

HPARSED = "build/dev/server/hparsed"
SANITIZED = False
HELLO = b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"


def check_stop(srv, want_code=0):
    code, err = srv.stop()
    assert not SANITIZER_REPORT.search(err), "sanitizer report:\n" + err[-3000:]
    assert code == want_code, "server exit status %s (want %d): %s" % (code, want_code, err[-2000:])
    return err


def sender(sock, data):
    """Sends data from a thread (the main thread reads); errors end it quietly."""
    def run():
        try:
            sock.sendall(data)
        except OSError:
            pass
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def t_slow_headers():
    """Each client keeps sending a byte every ~5 ms until it sees the close,
    as a slowloris does, so events for connections the timeout closes are
    still in the server's batch."""
    srv = Server(HPARSED, "--header-timeout", "1000", "--quiet")
    sel = selectors.DefaultSelector()
    clients, data = [], []
    try:
        for i in range(300):
            s = srv.connect()
            s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            s.setblocking(False)
            clients.append(s)
            data.append([b""])
            sel.register(s, selectors.EVENT_READ, data[-1])
            if i % 50 == 49:
                time.sleep(0.05)  # waves: timeouts fall while other clients are busy
        done = 0
        deadline = time.time() + 10
        while done < len(clients) and time.time() < deadline:
            for s in clients:
                try:
                    s.send(b"a")
                except OSError:
                    pass
            for key, _ in sel.select(timeout=0.005):
                try:
                    c = key.fileobj.recv(65536)
                except OSError:
                    c = b""
                key.data[0] += c
                if not c:
                    sel.unregister(key.fileobj)
                    done += 1
        assert srv.alive(), "server died under slow clients"
        statuses = [(split_responses(d[0])[0] or [(None,)])[0][0] for d in data]
        assert statuses.count(408) == 300, "statuses of the slow clients: %r" % sorted(
            set(map(str, statuses)))
        s = srv.connect()
        s.sendall(HELLO)
        st, _, b, _ = read_response(s)
        s.close()
        assert (st, b) == (200, b"Hello, World!"), "after the slow clients: %d" % st
        assert done == 300, "%d of 300 slow clients were closed" % done
    finally:
        for s in clients:
            s.close()
        check_stop(srv)


def t_sigterm_under_load():
    """100 keep-alive clients (one selector loop, as fast as it goes) loop on
    GET /hello; SIGTERM after 0.7 s; three rounds, each a new server."""
    for rnd in range(3):
        srv = Server(HPARSED, "--quiet")
        sel = selectors.DefaultSelector()
        state = {}
        try:
            for _ in range(100):
                s = srv.connect()
                s.setblocking(False)
                s.send(HELLO)
                state[s] = [b"", 0]
                sel.register(s, selectors.EVENT_READ)
            t0, signalled, bad = time.time(), False, []
            while state and time.time() - t0 < 15:
                if not signalled and time.time() - t0 > 0.7:
                    srv.p.send_signal(signal.SIGTERM)
                    signalled = True
                for key, _ in sel.select(timeout=0.1):
                    s = key.fileobj
                    try:
                        c = s.recv(65536)
                    except OSError:
                        c = b""
                    st = state[s]
                    if c:
                        st[0] += c
                        answers, st[0] = split_responses(st[0])
                        for code, h, body in answers:
                            if (code, body) != (200, b"Hello, World!"):
                                bad.append((code, body))
                            st[1] += 1
                            if h.get("connection") == "close":
                                c = b""  # the server closes after this one
                            else:
                                try:
                                    s.send(HELLO)
                                except OSError:
                                    pass
                    if not c:
                        if st[0]:
                            bad.append("a response cut short: %r" % st[0][:80])
                        sel.unregister(s)
                        s.close()
                        del state[s]
            assert not state, "%d clients never closed" % len(state)
            assert not bad, "round %d: %r" % (rnd + 1, bad[:5])
        finally:
            for s in state:
                s.close()
            check_stop(srv)


def t_pipelined_bursts():
    srv = Server(HPARSED, "--quiet")
    try:
        for n in (200, 1000, 10000):
            s = srv.connect()
            reqs = b"".join(b"GET /%s HTTP/1.1\r\nHost: x\r\n\r\n" % (b"hello" if i % 3 else b"nope")
                            for i in range(n))
            t = sender(s, reqs)
            data, answers = b"", []
            deadline = time.time() + 30
            while len(answers) < n and time.time() < deadline:
                try:
                    c = s.recv(1 << 20)
                except socket.timeout:
                    break
                if not c:
                    break
                data += c
                got, data = split_responses(data)
                answers += got
            t.join(5)
            s.close()
            assert len(answers) == n, "%d pipelined: %d answered" % (n, len(answers))
            for i, (st, _, _) in enumerate(answers):
                assert st == (200 if i % 3 else 404), "%d pipelined: answer %d is %d" % (n, i, st)
    finally:
        check_stop(srv)


def t_two_large_echoes():
    srv = Server(HPARSED, "--quiet")
    try:
        bodies = [bytes((i * k) % 251 for i in range(1000000)) for k in (7, 13)]
        s = srv.connect()
        t = sender(s, b"".join(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + b
                               for b in bodies))
        rest = b""
        for i, b in enumerate(bodies):
            s.settimeout(30)
            st, _, body, rest = read_response(s, rest)
            assert st == 200, "echo %d of 1,000,000 bytes: %d" % (i + 1, st)
            assert body == b, "echo %d: body differs" % (i + 1)
        t.join(5)
        s.close()
    finally:
        check_stop(srv)


def t_lingering_close():
    srv = Server(HPARSED, "--quiet")
    remainder = b"X" * (512 * 1024)
    bad_requests = {
        431: b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X: y\r\n" * 120 + b"\r\n",
        413: b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n",
        400: b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
    }
    try:
        for status, bad in bad_requests.items():
            ok = 0
            tries = 20
            for _ in range(tries):
                s = srv.connect(rcvbuf=4096)
                t = sender(s, HELLO * 40 + bad + remainder)
                data, how = read_to_eof(s, 10)
                t.join(5)
                s.close()
                answers, trailing = split_responses(data)
                if (how == "eof" and trailing == b"" and len(answers) == 41 and
                        [a[0] for a in answers] == [200] * 40 + [status]):
                    ok += 1
            assert ok == tries, "%d: %d of %d tries got every answer and no RST" % (status, ok, tries)
    finally:
        check_stop(srv)


def t_never_reading():
    """20 clients pipeline 8 x 1 MB POST /echo (8 MB of answers each) and
    never read: the server holds at most its high-water mark and a response
    per client, and drops them --send-timeout after the last write that
    made progress, descriptors and memory back."""
    srv = Server(HPARSED, "--quiet", "--send-timeout", "1000", "--max-body", "2097152",
                 env={"ASAN_OPTIONS": "quarantine_size_mb=1"})
    try:
        base_fds, base_rss = srv.settled_nfds(), srv.rss_kb()
        clients = []
        body = b"z" * (1 << 20)
        for _ in range(20):
            s = srv.connect(rcvbuf=4096)
            s.setblocking(False)
            clients.append([s, (b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" %
                                len(body) + body) * 8])
        t0 = time.time()

        def send_some():  # what the sockets take, never reading
            for c in clients:
                if c[1]:
                    try:
                        c[1] = c[1][c[0].send(c[1][:65536]):]
                    except BlockingIOError:
                        pass
                    except OSError:  # dropped by the server
                        c[1] = b""
        while time.time() - t0 < 0.6:
            send_some()
            time.sleep(0.005)
        held_fds, held_rss = srv.nfds(), srv.rss_kb()
        assert held_fds >= base_fds + 20, "clients not connected (%d fds, base %d)" % (held_fds, base_fds)
        per = (held_rss - base_rss) / 20
        assert per <= 4096, "%.0f kB held per client that does not read" % per
        while time.time() - t0 < 8 and srv.nfds() > base_fds:
            send_some()
            time.sleep(0.01)
        gone = time.time() - t0
        fds, rss = srv.nfds(), srv.rss_kb()
        assert fds <= base_fds, "%d descriptors still open 8 s on (base %d)" % (fds, base_fds)
        assert gone < 4, "dropped only after %.1f s" % gone
        assert rss <= base_rss + 4096, "RSS %d kB after the drops (base %d kB, held %d kB)" % (
            rss, base_rss, held_rss)
        print("never_reading: held %d kB per client; all dropped after %.1f s; RSS %d -> %d -> %d kB" % (
            per, gone, base_rss, held_rss, rss))
        for c in clients:
            c[0].close()
    finally:
        check_stop(srv)


def t_idle_memory():
    n = 10000
    have = raise_nofile(n + 200)
    if have < n + 100:
        n = have - 200
        print("idle_memory: descriptor limit %d: %d connections" % (have, n))
    # ASan keeps freed memory in a quarantine (256 MB by default): a small one
    # here, so RSS tells the server's own memory
    srv = Server(HPARSED, "--quiet", "--max-conns", str(n + 100), nofile=n + 200,
                 env={"ASAN_OPTIONS": "quarantine_size_mb=1"})
    per_conn_limit = 2048  # bytes (nginx: about 500)
    conns = []
    try:
        warm = srv.connect()
        for _ in range(50):
            warm.sendall(HELLO)
            read_response(warm)
        base = srv.rss_kb()
        for i in range(n):
            s = srv.connect()
            conns.append(s)
        for s in conns:  # one request each: a keep-alive connection gone idle
            s.sendall(HELLO)
        for s in conns:
            st, _, _, _ = read_response(s)
            assert st == 200
        idle = srv.rss_kb()
        per = (idle - base) * 1024 / n
        print("idle_memory: %d idle connections: %.0f bytes each" % (n, per))
        assert per <= per_conn_limit, "%.0f bytes per idle connection (limit %d)" % (per, per_conn_limit)
        big = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + b"q" * 1000000
        for s in conns[:200]:  # large requests on some of them, then idle again
            t = sender(s, big)
            s.settimeout(30)
            st, _, body, _ = read_response(s)
            t.join(5)
            assert st == 200 and len(body) == 1000000
        time.sleep(0.5)
        after = srv.rss_kb()
        per = (after - base) * 1024 / n
        print("idle_memory: after 200 x 1 MB POST: %.0f bytes each" % per)
        assert per <= per_conn_limit, "%.0f bytes per idle connection after large requests" % per
    finally:
        for s in conns:
            s.close()
        check_stop(srv)


def t_absolute_form():
    srv = Server(HPARSED, "--quiet")
    try:
        for target, want in ((b"http://h/hello", (200, b"Hello, World!")),
                             (b"http://h:80/hello?x=1", (200, b"Hello, World!")),
                             (b"HTTP://h/nope", (404, None)), (b"http://h", (200, None))):
            s = srv.connect()
            s.sendall(b"GET %s HTTP/1.1\r\nHost: h\r\n\r\n" % target)
            st, _, body, _ = read_response(s)
            s.close()
            assert st == want[0] and (want[1] is None or body == want[1]), "%r: %d %r" % (target, st, body)
    finally:
        check_stop(srv)


def t_slow_upload():
    srv = Server(HPARSED, "--quiet", "--header-timeout", "500", "--body-timeout", "800")
    try:
        s = srv.connect()
        s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n")
        for i in range(16):  # 1.6 s in all, a byte every 100 ms
            time.sleep(0.1)
            s.sendall(b"%x" % i)
        st, _, body, _ = read_response(s)
        assert (st, body) == (200, b"0123456789abcdef"), (st, body)
        s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\nabc")
        t0 = time.time()
        st, h, _, _ = read_response(s)
        assert st == 408 and h.get("connection") == "close", st
        assert 0.6 <= time.time() - t0 < 3, time.time() - t0
        assert closed(s)
        s.close()
    finally:
        check_stop(srv)


TESTS = {name[2:]: f for name, f in globals().items() if name.startswith("t_")}


def main(argv):
    global HPARSED, SANITIZED
    args = [a for a in argv[1:] if not a.startswith("--")]
    SANITIZED = "--sanitized" in argv
    if args:
        HPARSED = args.pop(0)
    names = args or list(TESTS)
    passed = failed = 0
    for name in names:
        t0 = time.time()
        try:
            TESTS[name]()
            print("ok   %s (%.1f s)" % (name, time.time() - t0))
            passed += 1
        except Exception as e:  # report and go on: every test runs
            print("FAIL %s (%.1f s): %s" % (name, time.time() - t0, e if str(e) else repr(e)))
            failed += 1
        sys.stdout.flush()
    print("hostile: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
