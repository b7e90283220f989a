#!/usr/bin/env python3
"""fuzz.campaign_leaves_no_process: however fuzz/campaign ends, no process
it started is left: not when its time is up, not on Ctrl-C (SIGINT) or
SIGTERM, not when the runner itself is killed (SIGKILL: nothing of its own
can run then; the kernel stops its children, PR_SET_PDEATHSIG). With both
engines; AFL++ runs a CmpLog forkserver beside the fuzzer, the process
that was left behind, stopped, in the bug this test guards against.

  campaign_procs.py WORKDIR [--engines libfuzzer,afl]
"""
import argparse, os, shutil, signal, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fuzz_processes():
    """{pid: (state, cmdline)} of live processes running a harness binary of
    this tree (libFuzzer's, AFL++'s and its CmpLog build) or afl-fuzz."""
    found = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            exe = os.readlink("/proc/%s/exe" % d)
            cmd = open("/proc/%s/cmdline" % d, "rb").read().replace(b"\0", b" ").decode(errors="replace")
            state = open("/proc/%s/stat" % d).read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state == "Z":  # a zombie has stopped running; its parent has not reaped it yet
            continue
        ours = exe.startswith(os.path.join(ROOT, "build")) and os.path.basename(exe).startswith("fuzz_")
        if ours or os.path.basename(exe) == "afl-fuzz":
            found[int(d)] = (state, cmd.strip())
    return found


def leftovers(before, wait=5.0):
    """The processes that are new since before and still alive after wait."""
    end = time.time() + wait
    while True:
        left = {p: v for p, v in fuzz_processes().items() if p not in before}
        if not left or time.time() > end:
            return left
        time.sleep(0.2)


def case(engine, how, work):
    """Runs one campaign ended by how (time, SIGINT, SIGTERM, SIGKILL);
    returns an error string or None."""
    out = os.path.join(work, "%s-%s" % (engine, how))
    shutil.rmtree(out, ignore_errors=True)
    before = fuzz_processes()
    seconds = 4 if how == "time" else 120
    cmd = [sys.executable, os.path.join(ROOT, "fuzz", "campaign"), "--engine", engine, "--harness", "request",
           "--time", "%ds" % seconds, "--out", out]
    log = open(out + ".log", "w")
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        if how != "time":
            deadline = time.time() + 900  # the first run builds the harnesses
            # wait until the fuzzer (and for AFL++ its forkservers) run, then end the runner
            while time.time() < deadline and p.poll() is None:
                running = {k: v for k, v in fuzz_processes().items() if k not in before}
                if len(running) >= (3 if engine == "afl" else 1):
                    break
                time.sleep(0.2)
            if p.poll() is not None:
                return "the campaign ended before its fuzzer ran (see %s.log)" % out
            time.sleep(2)
            p.send_signal({"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGKILL": signal.SIGKILL}[how])
        p.wait(timeout=900)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    left = leftovers(before)
    for pid in left:  # leave the machine clean whatever the verdict
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if left:
        return "left behind: " + "; ".join("pid %d (state %s) %s" % (k, v[0], v[1][:120]) for k, v in left.items())
    if how == "time" and p.returncode != 0:
        return "the campaign failed (exit %d; see %s.log)" % (p.returncode, out)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work")
    ap.add_argument("--engines", default="libfuzzer,afl")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    engines = a.engines.split(",")
    if "afl" in engines and not shutil.which("afl-fuzz"):
        print("skipped: afl-fuzz not found (bash ci/setup.sh installs afl++)")
        sys.exit(77)
    failed = 0
    for engine in engines:
        for how in ("time", "SIGINT", "SIGTERM", "SIGKILL"):
            t = time.time()
            err = case(engine, how, a.work)
            print("%s %-9s %-7s (%.0f s)%s" % ("FAIL" if err else "ok  ", engine, how, time.time() - t,
                                               ": " + err if err else ""), flush=True)
            failed += bool(err)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
