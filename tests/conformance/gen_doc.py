#!/usr/bin/env python3
"""Writes docs/conformance.md: every rule of docs/RULES.md with its RFC
section and requirement level, hparse's behaviour and status, the tests that
cover it (unit tests named after the rule, CLI golden cases by error name),
and how llhttp, http-parser and picohttpparser answer the peer vectors that
exercise it (from each vector's peer_verdicts), and how llhttp 8.1 as this
build has it (strict, through `hparse compare`) reads every vector, with a
table of the vectors where it and hparse disagree. Generated from the tests
and the vectors, so it cannot drift from them: `--check` (ctest) fails when
the committed file differs from what this script writes; a build without
llhttp cannot write it and skips (exit 77).

  gen_doc.py HPARSE            rewrite docs/conformance.md
  gen_doc.py HPARSE --check    compare only"""
import argparse, base64, collections, glob, json, os, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import run  # noqa: E402

RFC = {  # rule: (section, requirement level of the RFC text behind it)
    "R1": ("RFC 9112 §2.2", "SHOULD ignore"), "R2": ("RFC 9112 §3", "MUST (grammar); SHOULD 400"),
    "R3": ("RFC 9112 §3.1, RFC 9110 §9.1", "MUST (token, case-sensitive)"),
    "R4": ("RFC 9112 §3.2, RFC 9110 §4.1", "MUST (grammar; no fragment)"),
    "R5": ("RFC 9112 §3.2.1-3.2.4", "MUST"), "R6": ("RFC 9112 §3", "MUST 414"),
    "R7": ("RFC 9112 §2.3, RFC 9110 §6.2, §15.6.6", "MUST (case-sensitive); MAY 505"),
    "R8": ("RFC 9112 §2.2", "MAY accept LF; MUST reject or replace bare CR"),
    "F1": ("RFC 9112 §5, RFC 9110 §5.1", "MUST (token)"), "F2": ("RFC 9112 §5.1", "MUST 400"),
    "F3": ("RFC 9112 §5.2", "MUST reject or unfold"), "F4": ("RFC 9110 §5.5", "MUST reject or replace"),
    "F5": ("RFC 9110 §5.4, RFC 6585 §5", "MUST 4xx (431)"), "F6": ("RFC 9112 §3.2", "MUST 400"),
    "F8": ("RFC 9112 §3.2, RFC 9110 §7.2, RFC 3986 §3.2.2-3.2.3", "MUST 400"),
    "F7": ("RFC 9112 §9.3, RFC 9110 §7.6.1, §10.1.1, §7.8", "MUST (persistence)"),
    "B1": ("RFC 9110 §8.6, RFC 9112 §6.3", "MUST 400"), "B2": ("RFC 9110 §8.6", "MAY accept or reject"),
    "B3": ("RFC 9112 §6.1", "MUST (list syntax)"), "B4": ("RFC 9112 §6.1, §6.3", "MUST 400"),
    "B5": ("RFC 9112 §6.1", "SHOULD 501"), "B6": ("RFC 9112 §6.1, §6.3", "MAY reject (CL+TE); MUST (HTTP/1.0 TE)"),
    "B7": ("RFC 9112 §6.3", "MUST"), "C1": ("RFC 9112 §7.1", "MUST (overflow)"),
    "C2": ("RFC 9112 §7.1.1", "MUST (grammar); ought to limit"), "C3": ("RFC 9112 §7.1", "MUST (grammar)"),
    "C4": ("RFC 9112 §7.1, §7.1.2", "MUST (grammar)"), "C5": ("RFC 9112 §2.2, §7.1", "MAY accept LF"),
    "C6": ("RFC 9110 §6.5.1", "MUST NOT generate; MAY reject"),
}


def rules():
    text = open(os.path.join(ROOT, "docs", "RULES.md")).read()
    return [(m.group(1), m.group(2).strip(), m.group(3).strip())
            for m in re.finditer(r"^\| ([RFBC]\d) \| (.+?) \| ([^|]*) \|$", text, re.M)]


def unit_tests():
    names = []
    for f in sorted(glob.glob(os.path.join(ROOT, "tests", "parser", "*.c"))):
        names += re.findall(r"cmocka_unit_test\(([a-z0-9_]+)\)", open(f).read())
    return names


def golden_cases():
    out = collections.defaultdict(list)
    for f in sorted(glob.glob(os.path.join(ROOT, "tests", "cli", "cases", "err_*.http"))):
        name = os.path.basename(f)[:-5]
        out[run.RULE_OF_ERROR.get(name[4:])].append(name)
    return out


def peer_summary(results):
    """Per rule: how each peer answers the vectors hparse decides by it."""
    tally = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    for r in results:
        rule = r["rule"] or run.RULE_OF_ERROR.get(r["error"] or "")
        if not rule or r["status"] == "skipped":
            continue
        for peer, v in r["peer_verdicts"].items():
            tally[rule][peer][v] += 1
    return tally


def llhttp_verdicts(hparse, vectors):
    """Each vector's reading by llhttp 8.1 strict (hparse compare --json):
    ok, error NAME, or incomplete; None when the build has no llhttp."""
    have = subprocess.run([hparse, "compare", "--list"], stdout=subprocess.PIPE, check=True).stdout.decode()
    if not any(l.split()[:1] == ["llhttp"] for l in have.splitlines()):
        return None
    with tempfile.TemporaryDirectory() as d:
        for i, v in enumerate(vectors):
            with open(os.path.join(d, "%04d" % i), "wb") as f:
                f.write(base64.b64decode(v["input_b64"]))
        p = subprocess.run([hparse, "compare", "--json", d], stdout=subprocess.PIPE)
    out = []
    for line in p.stdout.decode("latin-1").splitlines():
        r = next(x for x in json.loads(line)["readings"] if x["parser"] == "llhttp")
        out.append("error" if r["end"] == "error" else "incomplete" if r["end"] == "incomplete" else "ok")
        out[-1] = (out[-1], r.get("error", ""))
    return out


def hparse_verdict(hparse, data):
    """hparse strict on data: ok, incomplete or error, and the error name."""
    got, err = run.verdict(run.run_hparse(hparse, data, None))
    return got, err or ""


def render(hparse, ll):
    results = []
    vectors = [run.json.loads(l) for l in open(os.path.join(HERE, "requests.jsonl"))]
    listed = {}
    for line in open(os.path.join(HERE, "deviations.tsv")):
        if line.strip() and not line.startswith("#"):
            vid, rule, _ = line.rstrip("\n").split("\t")
            listed[vid] = rule
    counts = collections.Counter()
    for i, (v, (status, _, err)) in enumerate(zip(vectors, run.check_all(hparse, vectors))):
        rule = listed.get(v["id"], "")
        pv = dict(v["peer_verdicts"])
        if ll:
            pv["llhttp 8.1 here"] = ll[i][0]
        results.append({"status": status, "error": err, "rule": rule, "peer_verdicts": pv})
        counts["deviating" if status == "differs" else status] += 1
    tests, golden, peers = unit_tests(), golden_cases(), peer_summary(results)
    dev = collections.Counter(r["rule"] for r in results if r["rule"])
    out = ["# Conformance: hparse rule by rule", "",
           "Generated by `tests/conformance/gen_doc.py` from docs/RULES.md, the unit tests, the CLI",
           "golden cases and the %d peer vectors in tests/conformance (llhttp, http-parser," % len(vectors),
           "picohttpparser; see VECTORS.md). ctest fails when this file is out of date.", "",
           "Vectors: %d pass, %d deviate (each listed with its rule in deviations.tsv), %d skipped "
           "(api-specific, or a peer leniency hparse has no flag for)." % (counts["passed"], counts["deviating"], counts["skipped"]), "",
           "Peers column: how each peer's default configuration answers the vectors that hparse decides by",
           "this rule (rejects with one of the rule's errors, or lists under it as a deviation):",
           "ok/error/incomplete counts; `pico` parses the first head only. `llhttp`, `http-parser` and",
           "`pico` are the verdicts the vectors record (their own suites' versions); `llhttp 8.1 here` is",
           "what llhttp 8.1 strict, as Debian ships it and this build links it, answers when run here",
           "(`hparse compare`).", "",
           "| rule | RFC | level | hparse | status | tests | vectors deviating | peers |",
           "|---|---|---|---|---|---|---|---|"]
    for rid, text, status in rules():
        t = [n for n in tests if n.startswith(rid.lower() + "_")]
        g = golden.get(rid, [])
        cover = ", ".join("`%s`" % n for n in t) + ("; CLI: " + ", ".join("`%s`" % n for n in g) if g else "")
        p = peers.get(rid)
        ptxt = "; ".join("%s %s" % ("pico" if k.startswith("pico") else k,
                                    "/".join("%d %s" % (n, vv) for vv, n in sorted(c.items())))
                         for k, c in sorted(p.items())) if p else "—"
        sec, level = RFC[rid]
        out.append("| %s | %s | %s | %s | %s | %s | %d | %s |" % (
            rid, sec, level, text.replace("|", "\\|"), status or "—", cover or "—", dev[rid], ptxt))
    # every vector llhttp 8.1 (run here) and hparse (strict) read differently
    rows = []
    for i, v in enumerate(vectors):
        data = base64.b64decode(v["input_b64"])
        hv, herr = hparse_verdict(hparse, data)
        lv, lerr = ll[i]
        if hv != lv:
            rows.append("| `%s` | %s | %s |" % (v["id"], hv + (" `%s`" % herr if herr and hv == "error" else ""),
                                               lv + (" `%s`" % lerr if lerr else "")))
    out += ["", "## Where llhttp 8.1 and hparse read a vector differently", "",
            "Both strict, on the vector's bytes as they are (%d of %d vectors; the rules above say why" % (len(rows), len(vectors)),
            "hparse reads them as it does).", "",
            "| vector | hparse | llhttp 8.1 |", "|---|---|---|"] + rows
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hparse")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    path = os.path.join(ROOT, "docs", "conformance.md")
    vectors = [json.loads(l) for l in open(os.path.join(HERE, "requests.jsonl"))]
    ll = llhttp_verdicts(a.hparse, vectors)
    if ll is None:
        print("skipped: this build has no llhttp, whose column docs/conformance.md shows (bash ci/setup.sh)")
        return 77
    text = render(a.hparse, ll)
    if a.check:
        if not os.path.exists(path) or open(path).read() != text:
            print("docs/conformance.md is out of date: run python3 tests/conformance/gen_doc.py BUILD/cli/hparse")
            print("gen_doc: 0 passed, 1 failed")
            return 1
        print("gen_doc: 1 passed, 0 failed (docs/conformance.md is current)")
        return 0
    open(path, "w").write(text)
    print("wrote " + path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
