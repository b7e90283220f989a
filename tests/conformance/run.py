#!/usr/bin/env python3
"""Conformance runner: feeds every peer test vector (requests.jsonl, from
llhttp, http-parser and picohttpparser; see VECTORS.md) to `hparse parse
--json` and compares the verdict, the messages (method, target, version,
headers, trailers, body) and keep-alive with the vector's expectation.

Strict vectors run in hparse's default mode; a lenient vector runs with
hparse's matching lenient flag where one exists and is skipped otherwise;
api-specific vectors are skipped. Every mismatch must be listed in
deviations.tsv (vector id, the RULES.md rule that decides it, why); the run
fails on an unlisted mismatch and on a listed vector that no longer
deviates, so the list stays true.

  run.py HPARSE            check (ctest)
  run.py HPARSE --propose  print the mismatches as deviations.tsv lines
  run.py HPARSE --json F   also write per-vector results to F (docs)
"""
import argparse, base64, csv, json, os, re, subprocess, sys, tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
# llhttp / http-parser lenient modes that have an hparse flag of the same meaning
LENIENT = {"lenient-nonstrict": "target-8bit", "lenient-all": "all"}
# hparse errors that a lenient flag relaxes: a vector rejected for one of
# them is run again with the flag, to show whether that rule is the only
# difference
RELAX = {"missing_host": "missing-host", "obs_fold": "obs-fold", "bare_lf": "bare-lf",
         "invalid_target": "target-8bit"}
# the rule a hparse error name belongs to (docs/RULES.md, "Error names")
RULE_OF_ERROR = {
    "request_line_whitespace": "R2", "malformed_request_line": "R2", "invalid_method": "R3",
    "invalid_target": "R4", "target_form_mismatch": "R5", "target_too_long": "R6",
    "invalid_version": "R7", "unsupported_version": "R7", "bare_lf": "R8", "bare_cr": "R8",
    "invalid_header_name": "F1", "empty_header_name": "F1", "missing_colon": "F1",
    "space_before_colon": "F2", "obs_fold": "F3", "invalid_header_value": "F4",
    "head_too_large": "F5", "too_many_headers": "F5", "missing_host": "F6", "duplicate_host": "F6",
    "invalid_host": "F8",
    "invalid_content_length": "B1", "conflicting_content_length": "B2",
    "invalid_transfer_encoding": "B3", "chunked_not_last": "B4", "chunked_repeated": "B4",
    "chunked_missing": "B4", "unsupported_transfer_coding": "B5",
    "content_length_with_transfer_encoding": "B6", "transfer_encoding_in_http10": "B6",
    "invalid_chunk_size": "C1", "chunk_size_overflow": "C1", "invalid_chunk_extension": "C2",
    "chunk_extension_too_long": "C2", "invalid_chunk_data_end": "C3", "trailers_too_large": "C4",
    "forbidden_trailer_field": "C6",
}


def latin1(s):
    return s.encode("latin-1")


# (input, lenient flags) -> hparse's JSON objects, filled by prefetch()
PARSED = {}
# while check_all() looks for what to parse: the inputs not parsed yet
WANTED = None


def prefetch(hparse, inputs):
    """Parses many (data, lenient) inputs with one hparse process per flag
    set, each input a file of a temporary directory, and keeps the results
    for run_hparse(): a process per vector (two tests, 326 vectors, an
    ASan build that starts slowly) took longer than the parsing."""
    by_flags = {}
    for data, lenient in inputs:
        by_flags.setdefault(lenient, set()).add(data)
    for lenient, datas in by_flags.items():
        datas = sorted(datas)
        with tempfile.TemporaryDirectory() as d:
            for i, data in enumerate(datas):
                with open(os.path.join(d, "%05d" % i), "wb") as f:
                    f.write(data)
            cmd = [hparse, "parse", "--json"] + (["--lenient", lenient] if lenient else []) + [d]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if p.returncode == 2:
            raise RuntimeError("hparse failed: %s" % p.stderr.decode(errors="replace"))
        per_file = {}
        for line in p.stdout.decode("ascii").splitlines():
            o = json.loads(line)
            # hparse names the file only when it reads more than one
            name = os.path.basename(o.pop("file")) if "file" in o else "%05d" % (len(datas) - 1)
            per_file.setdefault(name, []).append(o)
        for i, data in enumerate(datas):
            PARSED[(data, lenient)] = per_file.get("%05d" % i, [])


def run_hparse(hparse, data, lenient):
    """hparse's JSON objects for data (prefetched, or one process now)."""
    if (data, lenient) in PARSED:
        return [dict(o) for o in PARSED[(data, lenient)]]
    if WANTED is not None:  # a dry round of check_all(): parsed later
        WANTED.add((data, lenient))
        return []
    cmd = [hparse, "parse", "--json"] + (["--lenient", lenient] if lenient else [])
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    if p.returncode == 2:
        raise RuntimeError("hparse failed: %s" % p.stderr.decode(errors="replace"))
    return [json.loads(l) for l in p.stdout.decode("ascii").splitlines()]


def verdict(objs):
    bad = [o for o in objs if not o["ok"]]
    if not bad:
        return "ok", None
    return ("incomplete" if bad[0]["error"] == "incomplete" else "error"), bad[0]["error"]


def fields(lst):
    return [[latin1(n), latin1(v)] for n, v in (lst or [])]


def compare_message(want, got):
    """Returns the first difference between an expected and a parsed message."""
    if latin1(want["method"]) != latin1(got["method"]):
        return "method %r != %r" % (want["method"], got["method"])
    if latin1(want["target"]) != latin1(got["target"]):
        return "target %r != %r" % (want["target"], got["target"])
    if "HTTP/" + want["version"] != got["version"]:
        return "version %s != %s" % (want["version"], got["version"])
    if fields(want["headers"]) != fields(got["headers"]):
        return "headers %r != %r" % (want["headers"], got["headers"])
    if fields(want.get("trailers")) != fields(got.get("trailers")):
        return "trailers %r != %r" % (want.get("trailers"), got.get("trailers"))
    if base64.b64decode(want["body_b64"]) != base64.b64decode(got["body_b64"]):
        return "body differs"
    if "keep_alive" in want and want["keep_alive"] != got["keep_alive"]:
        return "keep_alive %s != %s" % (want["keep_alive"], got["keep_alive"])
    return None


def compare(hparse, v, data, lenient):
    """One run: returns (difference or None, hparse's error name)."""
    objs = run_hparse(hparse, data, lenient)
    got, err = verdict(objs)
    if got != v["expect"]:
        return "verdict %s, expected %s" % (got + (" (%s)" % err if err else ""), v["expect"]), err
    msgs = [o for o in objs if o["ok"]]
    if len(msgs) != len(v["messages"]):
        return "%d messages, expected %d" % (len(msgs), len(v["messages"])), err
    for i, (w, g) in enumerate(zip(v["messages"], msgs)):
        d = compare_message(w, g)
        if d:
            return "message %d: %s" % (i + 1, d), err
    return None, err


def vector_input(v):
    """What hparse parses for vector v: (data, lenient flags or None), or
    (None, why the vector is not run)."""
    if v["mode"] == "api-specific":
        return None, "api-specific"
    lenient = None
    if v["mode"] != "strict":
        lenient = LENIENT.get(v["mode"])
        if not lenient:
            return None, "no hparse flag for %s" % v["mode"]
    data = base64.b64decode(v["input_b64"])
    tail = base64.b64decode(v.get("upgrade_tail_b64", ""))
    if tail:  # the bytes after an upgrade belong to another protocol
        data = data[:len(data) - len(tail)]
    return data, lenient


def check_all(hparse, vectors):
    """check() for every vector, hparse run in batches: dry rounds of the
    checks collect the inputs not parsed yet (a relaxed rerun needs the
    error of the run before it), prefetch() parses them, until none is
    left; then the real round. Also parses each vector's bytes as they
    are, strict (gen_doc's comparison with llhttp)."""
    global WANTED
    inputs = [vector_input(v) for v in vectors]
    prefetch(hparse, [x for x in inputs if x[0] is not None] +
             [(base64.b64decode(v["input_b64"]), None) for v in vectors])
    WANTED = set()
    try:
        while True:
            for v in vectors:
                check(hparse, v)
            if not WANTED:
                break
            prefetch(hparse, WANTED)
            WANTED.clear()
    finally:
        WANTED = None
    return [check(hparse, v) for v in vectors]


def check(hparse, v):
    """Runs one vector: returns (status, detail, hparse's first error name)."""
    data, lenient = vector_input(v)
    if data is None:
        return "skipped", lenient, None
    if any(m.get("protocol") for m in v["messages"]):
        return "differs", "not HTTP (%s)" % v["messages"][0]["protocol"], None
    diff, err = compare(hparse, v, data, lenient)
    if not diff:
        return "passed", "", err
    first, flags, detail = err, [], diff
    while err in RELAX and lenient is None and RELAX[err] not in flags:
        flags.append(RELAX[err])
        diff, err = compare(hparse, v, data, ",".join(flags))
        detail += "; with --lenient %s: %s" % (",".join(flags), diff or "the same as the peer")
        if not diff:
            break
    return "differs", detail, first


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hparse")
    ap.add_argument("--propose", action="store_true", help="print unlisted mismatches as deviations.tsv lines")
    ap.add_argument("--json", help="write per-vector results to this file")
    a = ap.parse_args()
    vectors = [json.loads(l) for l in open(os.path.join(HERE, "requests.jsonl"))]
    listed = {}
    with open(os.path.join(HERE, "deviations.tsv")) as f:
        for row in csv.reader((l for l in f if l.strip() and not l.startswith("#")), delimiter="\t"):
            listed[row[0]] = (row[1], row[2])
    rules = set(re.findall(r"^\| ([RFBC]\d) \|", open(os.path.join(HERE, "../../docs/RULES.md")).read(), re.M))
    problems, counts, by_rule, results = [], Counter(), Counter(), []
    for v, (status, detail, err) in zip(vectors, check_all(a.hparse, vectors)):
        results.append({"id": v["id"], "status": status, "detail": detail, "error": err,
                        "mode": v["mode"], "expect": v["expect"], "peer_verdicts": v["peer_verdicts"],
                        "rule": listed.get(v["id"], ("", ""))[0]})
        if status == "skipped":
            counts["skipped: " + ("api-specific" if detail == "api-specific" else "lenient, no hparse flag")] += 1
        elif status == "passed":
            counts["passed"] += 1
            if v["id"] in listed:
                problems.append("%s: listed in deviations.tsv but now passes" % v["id"])
        elif v["id"] in listed:
            rule = listed[v["id"]][0]
            counts["deviating"] += 1
            by_rule[rule] += 1
            if rule not in rules:
                problems.append("%s: deviation rule %s is not a rule of docs/RULES.md" % (v["id"], rule))
        else:
            guess = RULE_OF_ERROR.get(err, "?")
            problems.append("%s: %s" % (v["id"], detail))
            if a.propose:
                print("%s\t%s\t%s" % (v["id"], guess, detail))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    for k in sorted(counts):
        print("%-36s %d" % (k, counts[k]))
    print("deviating by rule: " + ", ".join("%s %d" % (r, n) for r, n in sorted(by_rule.items())))
    for p in problems:
        print("FAIL " + p)
    print("conformance: %d passed, %d failed" % (counts["passed"] + counts["deviating"], len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
