#!/usr/bin/env python3
"""fuzz/mutate without building anything: the mutants it lists are in code
(not in comments, strings or preprocessor lines), each names its place
exactly once, and its options fail with a message that names the cause.

  mutate_cli.py WORKDIR
"""
import os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MUTATE = os.path.join(ROOT, "fuzz", "mutate")


def run(*args):
    return subprocess.run([sys.executable, MUTATE] + list(args), cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    p = run("--list")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    m = re.fullmatch(r"(\d+) mutants in (\d+) files", lines[-1])
    assert m and int(m.group(1)) > 1000 and int(m.group(1)) == len(lines) - 1, lines[-1]
    seen, texts = set(), {}
    for l in lines[:-1]:
        place, what = l.split("  ", 1)
        f, line, col = place.rsplit(":", 2)
        assert (place, what) not in seen, "listed twice: " + l
        seen.add((place, what))
        if f not in texts:
            texts[f] = open(os.path.join(ROOT, f), encoding="latin-1").read().splitlines()
        src = texts[f][int(line) - 1]
        before = re.sub(r"'(\\.|[^'\\])'", "''", src[:int(col) - 1])  # character literals,
        before = re.sub(r'"(\\.|[^"\\])*"', '""', before)                # closed strings aside
        assert not re.match(r"\s*(#|/\*|//|\*(\s|/|$))", src), "a mutant in a comment or directive: " + l
        assert before.count('"') == 2 * before.count('""') and "//" not in before and "/*" not in before.replace("*/", ""), \
            "a mutant in a string or comment: %s: %s" % (l, src)
    # the options' errors name their cause
    missing = os.path.join(work, "no-such.json")
    p = run("--retry", missing, "--work", work)
    assert p.returncode == 2 and "--retry" in p.stderr and missing in p.stderr, p.stderr
    with tempfile.TemporaryDirectory(dir=work) as empty:
        p = run("--resume", "--all", "--work", empty)
        assert p.returncode == 2 and "--resume" in p.stderr and "mutants.json" in p.stderr, p.stderr
    p = run("--time", "1h", "--list")
    assert p.returncode == 2 and "--time" in p.stderr, p.stderr
    p = run("--fuzz-only", "--no-replay", "--time", "0", "--list")
    assert p.returncode == 2 and "--no-replay" in p.stderr and "no stage" in p.stderr, p.stderr
    p = run("--files", "parser/nothing.c", "--list")
    assert p.returncode == 2 and "parser/nothing.c" in p.stderr, p.stderr
    print("mutate_cli: %d mutants listed in code, options' errors named" % (len(lines) - 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
