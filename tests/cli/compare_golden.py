#!/usr/bin/env python3
"""Golden tests for `hparse compare`.

Each case is tests/cli/compare/NAME.http; its expectations are NAME.txt
(human output, --color never), NAME.json (--json) and NAME.code (the exit
status). The readings depend on every peer parser, so a build without all
of them skips the cases (exit 77, which ctest reports as skipped) and says
which are missing. --update rewrites the expectations (review the diff!)."""
import argparse, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden import expectations  # noqa: E402

PARSERS = ["hparse", "hparse-lenient", "llhttp", "llhttp-lenient", "pico", "http-parser"]

def run(hparse, case_dir, name, opts):
    p = subprocess.run([hparse, "compare"] + opts + [os.path.join(case_dir, name + ".http")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    fix = lambda b: b.decode("latin-1").replace(case_dir + "/", "CASES/")
    return fix(p.stdout) + fix(p.stderr), p.returncode

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("hparse")
    ap.add_argument("case_dir")
    ap.add_argument("names", nargs="*", help="cases to run (default: all)")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    have = [l.split()[0] for l in subprocess.run([a.hparse, "compare", "--list"], check=True,
            stdout=subprocess.PIPE).stdout.decode().splitlines() if l.strip()]
    missing = [p for p in PARSERS if p not in have]
    if missing:
        print("skipped: this build has no %s (bash ci/setup.sh installs the peers)" % ", ".join(missing))
        return 77
    case_dir = os.path.abspath(a.case_dir)
    names = a.names or sorted(f[:-5] for f in os.listdir(case_dir) if f.endswith(".http"))
    failed = 0
    for name in names:
        base = os.path.join(case_dir, name)
        txt, code = run(a.hparse, case_dir, name, ["--color", "never"])
        js, jcode = run(a.hparse, case_dir, name, ["--json"])
        got = {"txt": txt, "json": js, "code": "%d\n" % code}
        problems = expectations(base, got, a.update)
        if a.update:
            continue
        if jcode != code:
            problems.append("--json exit %d != human exit %d" % (jcode, code))
        if problems:
            failed += 1
            print("FAIL %s\n%s" % (name, "\n".join(problems)))
        else:
            print("ok   %s" % name)
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
