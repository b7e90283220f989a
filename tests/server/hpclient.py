"""What the server tests share: starting hparsed on an ephemeral port of
127.0.0.1 (and stopping it by its PID), reading responses, and reading the
server's memory and descriptors from /proc. Every socket operation has a
timeout and every loop a bound."""
import os, re, resource, signal, socket, subprocess, time

T = 5.0  # seconds any single socket operation may take
SANITIZER_REPORT = re.compile(r"ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer")


def raise_nofile(want):
    """Raises this process's descriptor limit towards want; returns the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Server:
    """hparsed on 127.0.0.1, an ephemeral port; stop() always ends it."""

    def __init__(self, hparsed, *args, nofile=None, env=None):
        def limit():
            if nofile:
                _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                n = nofile if hard == resource.RLIM_INFINITY else min(nofile, hard)
                resource.setrlimit(resource.RLIMIT_NOFILE, (n, hard))
        self.p = subprocess.Popen([hparsed, "--port", "0"] + list(args), preexec_fn=limit,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                  env=dict(os.environ, **(env or {})))
        line = self.p.stderr.readline()
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError("hparsed did not start: %r" % line)
        self.port = int(m.group(1))

    def connect(self, rcvbuf=None):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(T)
        s.connect(("127.0.0.1", self.port))
        return s

    def alive(self):
        return self.p.poll() is None

    def rss_kb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def nfds(self):
        return len(os.listdir("/proc/%d/fd" % self.p.pid))

    def settled_nfds(self):
        """The server's descriptors once its loop runs: it prints its
        listening line before it opens epoll, signalfd and its spare
        descriptor, so a count taken at once can be short. One request
        answered shows the loop is up; then the count must hold still."""
        s = self.connect()
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while s.recv(65536):
            pass
        s.close()
        n, deadline = self.nfds(), time.time() + 5
        while time.time() < deadline:
            time.sleep(0.05)
            m = self.nfds()
            if m == n:
                return n
            n = m
        return n

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; returns (exit status, stderr)."""
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            out = self.p.communicate(timeout=20)[1]
        except subprocess.TimeoutExpired:
            self.p.kill()
            try:
                out = self.p.communicate(timeout=T)[1]
            except subprocess.TimeoutExpired:  # a process it started holds its stderr open
                self.p.wait()
                out = "(stderr still held open by a process hparsed started)"
        return self.p.returncode, out


def parse_head(head):
    """A response head (without the empty line) -> (status, {lowercase name: value})."""
    lines = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return int(lines[0].split()[1]), hdrs


def read_response(s, buf=b""):
    """Reads one response (Content-Length framed); returns (status, headers, body, rest)."""
    deadline = time.time() + T
    while b"\r\n\r\n" not in buf:
        if time.time() > deadline:
            raise TimeoutError("no complete head")
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response head: %r" % buf[:200])
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    status, hdrs = parse_head(head)
    n = int(hdrs.get("content-length", "0"))
    while len(rest) < n:
        if time.time() > deadline:
            raise TimeoutError("body incomplete")
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed inside a body")
        rest += chunk
    return status, hdrs, rest[:n], rest[n:]


def split_responses(data):
    """Splits a byte stream of Content-Length framed responses (HEAD aside);
    returns ([(status, headers, body)], trailing bytes that are no whole response)."""
    out = []
    while True:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return out, data
        status, hdrs = parse_head(data[:end])
        n = int(hdrs.get("content-length", "0"))
        if len(data) < end + 4 + n:
            return out, data
        out.append((status, hdrs, data[end + 4:end + 4 + n]))
        data = data[end + 4 + n:]


def read_to_eof(s, limit_s=T):
    """Reads until the peer closes; returns (bytes, 'eof' | 'reset' | 'timeout')."""
    data = b""
    deadline = time.time() + limit_s
    while time.time() < deadline:
        try:
            c = s.recv(65536)
        except ConnectionResetError:
            return data, "reset"
        except socket.timeout:
            return data, "timeout"
        if not c:
            return data, "eof"
        data += c
    return data, "timeout"


def closed(s, within=T):
    """True when the peer closed the connection within `within` seconds."""
    s.settimeout(within)
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    finally:
        s.settimeout(T)
