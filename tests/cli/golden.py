#!/usr/bin/env python3
"""Golden tests for the hparse CLI.

Each case is tests/cli/cases/NAME.http (the input) with optional NAME.args
(extra options, one line, split on spaces; the word INPUT stands for the
input path, else it is appended). Expectations: NAME.json (stdout with
--json), NAME.txt (human stdout, --color never), NAME.code (exit status).
Every case is also run with --feed 1 and --feed 7, whose --json output must
be identical. --update rewrites the expectations (review the diff!)."""
import argparse, os, subprocess, sys

def run(hparse, case_dir, name, extra):
    inp = os.path.join(case_dir, name + ".http")
    args_file = os.path.join(case_dir, name + ".args")
    opts = open(args_file).read().split() if os.path.exists(args_file) else []
    opts = [os.path.join(case_dir, o[6:]) if o.startswith("CASES/") else o for o in opts]
    if "INPUT" in opts:
        opts = [inp if o == "INPUT" else o for o in opts]
    elif "NOINPUT" in opts:
        opts = [o for o in opts if o != "NOINPUT"]
    else:
        opts.append(inp)
    stdin = open(inp, "rb") if "-" in opts else subprocess.DEVNULL
    p = subprocess.run([hparse, "parse"] + extra + opts, stdin=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    out = p.stdout.decode("latin-1").replace(case_dir + "/", "CASES/")
    err = p.stderr.decode("latin-1").replace(case_dir + "/", "CASES/")
    return out, err, p.returncode

def expectations(base, got, update):
    """Compares got ({ext: text}) with the files base.EXT; with update,
    writes them instead. Returns the differences, in words (shared with
    compare_golden.py)."""
    if update:
        for ext, text in got.items():
            open(base + "." + ext, "w", encoding="latin-1").write(text)
        return []
    problems = []
    for ext, text in got.items():
        want = open(base + "." + ext, encoding="latin-1").read()
        if want != text:
            problems.append("%s differs:\n--- expected\n%s--- got\n%s" % (ext, want, text))
    return problems

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("hparse")
    ap.add_argument("case_dir")
    ap.add_argument("names", nargs="*", help="cases to run (default: all)")
    ap.add_argument("--update", action="store_true")
    a = ap.parse_args()
    case_dir = os.path.abspath(a.case_dir)
    names = a.names or sorted(f[:-5] for f in os.listdir(case_dir) if f.endswith(".http"))
    failed = 0
    for name in names:
        base = os.path.join(case_dir, name)
        jout, jerr, code = run(a.hparse, case_dir, name, ["--json"])
        hout, herr, hcode = run(a.hparse, case_dir, name, ["--color", "never"])
        got = {"json": jout, "txt": hout + herr, "code": "%d\n" % code}
        problems = expectations(base, got, a.update)
        if a.update:
            continue
        if hcode != code:
            problems.append("human exit %d != json exit %d" % (hcode, code))
        for n in ("1", "7"):
            fout, _, fcode = run(a.hparse, case_dir, name, ["--json", "--feed", n])
            if (fout, fcode) != (jout, code):
                problems.append("--feed %s output differs from whole-buffer output:\n%s" % (n, fout))
        if jout:
            import json
            for line in jout.splitlines():
                try:
                    json.loads(line)
                except ValueError as e:
                    problems.append("invalid JSON line %r: %s" % (line, e))
        if problems:
            failed += 1
            print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
        else:
            print("ok   %s" % name)
    if not a.update:
        print("%d passed, %d failed" % (len(names) - failed, failed))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
