#!/usr/bin/env python3
"""hparsed over real sockets: every route, 100 pipelined requests in one
write, byte-at-a-time requests, a slow reader of a large echo
(back-pressure, nothing lost), header and idle timeouts, --max-conns (503),
malformed requests (status, then close), a port already in use, and a
graceful shutdown with a request in flight. The server binds 127.0.0.1 on
an ephemeral port; every socket has a timeout, every loop a bound, and
every server started is stopped by its PID.

  integration.py PATH/TO/hparsed"""
import os, signal, socket, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hpclient
from hpclient import T, closed, read_response

HPARSED = sys.argv[1] if len(sys.argv) > 1 else "build/dev/server/hparsed"


def Server(*args, **kw):
    return hpclient.Server(HPARSED, *args, **kw)


def request(srv, raw):
    s = srv.connect()
    s.sendall(raw)
    r = read_response(s)
    s.close()
    return r


def t_routes(srv):
    st, h, b, _ = request(srv, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert st == 200 and b"/echo" in b and h["content-type"].startswith("text/html")
    assert "date" in h and "content-length" in h
    st, h, b, _ = request(srv, b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (st, b) == (200, b"Hello, World!")
    s = srv.connect()
    s.sendall(b"HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        c = s.recv(4096)
        if not c:
            break
        data += c
    assert data.startswith(b"HTTP/1.1 200") and b"Content-Length: 13" in data and data.endswith(b"\r\n\r\n")
    st, _, b, _ = request(srv, b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc123")
    assert (st, b) == (200, b"abc123")
    st, _, b, _ = request(srv, b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               b"4\r\nwiki\r\n5;e=1\r\npedia\r\n0\r\n\r\n")
    assert (st, b) == (200, b"wikipedia")
    st, h, b, _ = request(srv, b"POST /inspect?a=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               b"3\r\nabc\r\n0\r\n\r\n")
    import json
    obj = json.loads(b)
    assert st == 200 and h["content-type"] == "application/json"
    assert (obj["ok"], obj["path"], obj["query"], obj["framing"], obj["body_b64"]) == (
        True, "/inspect", "a=1", "chunked", "YWJj"), obj
    assert obj["headers"] == [["Host", "x"], ["Transfer-Encoding", "chunked"]]
    st, _, _, _ = request(srv, b"GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
    assert st == 404
    st, h, _, _ = request(srv, b"PUT /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
    assert st == 405 and h["allow"] == "GET, HEAD"
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
    st, _, _, rest = read_response(s)
    assert st == 100
    s.sendall(b"ok")
    st, _, b, _ = read_response(s, rest)
    assert (st, b) == (200, b"ok")
    s.close()


def t_pipelining_100(srv):
    s = srv.connect()
    reqs = b"".join(b"GET /%s HTTP/1.1\r\nHost: x\r\n\r\n" % (b"hello" if i % 3 else b"nope")
                    for i in range(100))
    s.sendall(reqs)
    rest = b""
    for i in range(100):
        st, _, _, rest = read_response(s, rest)
        assert st == (200 if i % 3 else 404), "response %d out of order" % i
    s.close()


def t_byte_at_a_time(srv):
    s = srv.connect()
    for ch in b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n":
        s.sendall(bytes([ch]))
    st, _, b, _ = read_response(s)
    assert (st, b) == (200, b"abc")
    s.close()


def t_slow_reader_large_echo(srv):
    body = bytes((i * 7) % 251 for i in range(900 * 1024))
    s = srv.connect()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    got = b""
    deadline = time.time() + 30
    while b"\r\n\r\n" not in got or len(got.partition(b"\r\n\r\n")[2]) < len(body):
        assert time.time() < deadline, "slow read did not finish"
        time.sleep(0.001)  # a slow reader: the server must wait, not spin or drop
        c = s.recv(8192)
        assert c, "closed early"
        got += c
    assert got.partition(b"\r\n\r\n")[2] == body
    s.close()


def t_malformed(srv):
    for raw, status in ((b"GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
                        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", 414),
                        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X: y\r\n" * 120 + b"\r\n", 431),
                        (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
                        (b"GET / HTTP/3.0\r\n\r\n", 505),
                        (b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)):
        s = srv.connect()
        s.sendall(raw + b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        st, h, _, rest = read_response(s)
        assert st == status, "%r: %d" % (raw[:40], st)
        assert h.get("connection") == "close"
        assert rest == b"" and closed(s)
        s.close()


def t_timeouts_and_max_conns():
    srv = Server("--header-timeout", "400", "--idle-timeout", "700", "--max-conns", "4", "--quiet")
    try:
        s = srv.connect()
        s.sendall(b"GET /hello HTTP/1.1\r\nHo")  # slowloris
        t0 = time.time()
        st, h, _, _ = read_response(s)
        assert st == 408 and h.get("connection") == "close" and closed(s)
        assert 0.3 <= time.time() - t0 < 3
        s.close()
        s = srv.connect()
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        read_response(s)
        t0 = time.time()
        assert closed(s), "idle connection stays open"
        assert 0.5 <= time.time() - t0 < 3
        s.close()
        held = [srv.connect() for _ in range(4)]
        for h_ in held:  # make sure the server has accepted them
            h_.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            read_response(h_)
        extra = srv.connect()  # past --max-conns: 503, then closed
        st, h, b, _ = read_response(extra)
        assert st == 503 and h.get("connection") == "close" and b"max-conns" in b, (st, b)
        assert closed(extra), "connection past --max-conns kept open"
        for h_ in held + [extra]:
            h_.close()
    finally:
        srv.stop()


def t_port_in_use(srv):
    p = subprocess.run([HPARSED, "--port", str(srv.port)], stderr=subprocess.PIPE, text=True, timeout=10)
    assert p.returncode != 0
    assert "hparsed: cannot listen on 127.0.0.1:%d: Address already in use" % srv.port in p.stderr, p.stderr


def proc_stat(pid):
    """The fields of /proc/PID/stat after the command name (state, ppid,
    ..., utime at 11, stime at 12), or None when pid is gone; split after
    the last ')' because a command name may hold spaces."""
    try:
        with open("/proc/%s/stat" % pid) as f:
            st = f.read()
    except OSError:
        return None
    return st[st.rindex(")") + 2:].split()


def cpu_ticks(pid):
    """User plus system clock ticks pid has used."""
    st = proc_stat(pid)
    return int(st[11]) + int(st[12])


def t_out_of_descriptors():
    srv = Server(nofile=24)
    try:
        held = [srv.connect() for _ in range(30)]  # more than the server can hold
        time.sleep(0.5)
        ticks0 = cpu_ticks(srv.p.pid)
        time.sleep(1.0)
        assert cpu_ticks(srv.p.pid) - ticks0 < 50, "server spins when out of descriptors"
        refused = sum(1 for s in held if closed(s, 0.2))  # the extras were accepted and closed
        assert refused >= 30 - 24 + 5, refused
        for s in held:
            s.close()
        time.sleep(0.3)
        st, _, b, _ = request(srv, b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (st, b) == (200, b"Hello, World!")
    finally:
        code, err = srv.stop()
    assert "Too many open files" in err, err


def t_graceful_shutdown():
    srv = Server()
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234")
    time.sleep(0.2)
    srv.p.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    s.sendall(b"56789")
    st, h, b, _ = read_response(s)
    assert (st, b) == (200, b"0123456789")
    s.close()
    code, err = srv.stop()
    assert code == 0, "exit %d" % code
    assert "received SIGTERM, draining 1 connections" in err, err


def children(pid):
    """The PIDs whose parent is pid (from /proc)."""
    return [int(d) for d in os.listdir("/proc") if d.isdigit() and (proc_stat(d) or [0, 0])[1] == str(pid)]


def running(pid):
    """1 when pid exists and is not a zombie."""
    st = proc_stat(pid)
    return st is not None and st[0] != "Z"


def t_workers_end_with_parent():
    """A killed parent (SIGKILL: it forwards nothing) must not leave its
    workers serving the port, nor spinning, with no one to stop them."""
    srv = Server("--workers", "2")
    workers, deadline = [], time.time() + T
    try:
        while len(workers) < 2 and time.time() < deadline:  # it forks after its listening line
            time.sleep(0.02)
            workers = children(srv.p.pid)
        assert len(workers) == 2, "workers %r" % workers
        srv.p.kill()
        srv.p.wait()
        deadline, left = time.time() + T, workers
        while left and time.time() < deadline:
            time.sleep(0.05)
            left = [w for w in workers if running(w)]
        assert not left, "workers %r still running %.0f s after their parent was killed" % (left, T)
    finally:  # a test leaves no process behind (workers first: they hold its stderr)
        for w in workers:
            if running(w):
                os.kill(w, signal.SIGKILL)
        srv.stop(signal.SIGKILL)


def main():
    tests = [t_routes, t_pipelining_100, t_byte_at_a_time, t_slow_reader_large_echo, t_malformed,
             t_port_in_use]
    passed = failed = 0
    srv = Server("--workers", "2")
    try:
        for t in tests:
            try:
                t(srv)
                print("ok   %s" % t.__name__)
                passed += 1
            except Exception as e:  # report and go on: every test runs
                print("FAIL %s: %r" % (t.__name__, e))
                failed += 1
    finally:
        code, err = srv.stop()
    for t in (t_timeouts_and_max_conns, t_out_of_descriptors, t_graceful_shutdown, t_workers_end_with_parent):
        try:
            t()
            print("ok   %s" % t.__name__)
            passed += 1
        except Exception as e:
            print("FAIL %s: %r" % (t.__name__, e))
            failed += 1
    if code != 0:
        print("FAIL server exit status %d: %s" % (code, err))
        failed += 1
    print("server: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
