#!/usr/bin/env python3
"""fuzz/keeper.py — runs one fuzzer command so that nothing it starts can
outlive it or the campaign runner (used by fuzz/campaign).

  keeper.py COMMAND [ARG]...

A fuzzer's helpers escape the usual ways of stopping them: AFL++ starts its
forkservers in sessions of their own (so killing afl-fuzz's process group
misses them), and a process whose parent dies is handed to init. The
keeper is a child subreaper (PR_SET_CHILD_SUBREAPER): every orphan below
it is handed to it instead, so it can always find the whole tree. It ends
the tree (SIGKILL, after SIGTERM to the command and a grace period) when
the command exits, when it is told to stop (SIGTERM, SIGINT), and when the
runner dies, however that happens (PR_SET_PDEATHSIG sends it SIGTERM).
It exits with the command's status.
"""
import ctypes, os, signal, subprocess, sys, time

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
GRACE = 5.0  # seconds the command has to stop on SIGTERM (afl-fuzz writes its stats)


def descendants():
    """The pids of every live process below this one."""
    parent = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open("/proc/%s/stat" % d).read()
            except OSError:
                continue
            parent[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
    me, out, changed = os.getpid(), set(), True
    while changed:
        changed = False
        for pid, pp in parent.items():
            if pid not in out and (pp == me or pp in out):
                out.add(pid)
                changed = True
    return out


def reap():
    """Collects every exited child (orphans handed to us included)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_tree(child):
    """SIGTERM to the command, a grace period, then SIGKILL to every process
    below the keeper until none is left."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=GRACE)
        except subprocess.TimeoutExpired:
            pass
    for _ in range(50):
        left = descendants()
        if not left:
            break
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.05)
        reap()
    reap()


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: keeper.py COMMAND [ARG]...")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 or libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        sys.exit("keeper: prctl failed: %s" % os.strerror(ctypes.get_errno()))
    if os.getppid() == 1:  # the runner died before the line above
        sys.exit(1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    try:
        child = subprocess.Popen(sys.argv[1:])
    except OSError as e:
        sys.exit("keeper: cannot run %s: %s" % (sys.argv[1], e.strerror))
    while child.poll() is None and not stop:
        time.sleep(0.1)
    end_tree(child)
    code = child.returncode
    sys.exit(code if code is not None and code >= 0 else 128 + (-code if code else signal.SIGKILL))


if __name__ == "__main__":
    main()
