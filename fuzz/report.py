"""fuzz/report.py — the campaign's report.html (used by fuzz/campaign).

Per harness: one PNG with coverage, corpus size and exec/s over the run
(drawn by gnuplot from the samples the runner took while it ran), the
summary table, every crash with its minimized input (escaped) and the
command that reproduces it; links to the llvm-cov HTML (--coverage) and to
afl-plot's pages (AFL++ runs). Plain HTML, no script, one file plus images.
"""
import html, os, shutil, subprocess

GNUPLOT_MISSING = "gnuplot not found: install the Debian package gnuplot-nox (bash ci/setup.sh)"


def escape_bytes(data, limit=4096):
    """The bytes as C-style escaped text: what a reader can copy back with
    hparse --unescape."""
    out = []
    for c in data[:limit]:
        if c == 0x0d:
            out.append("\\r")
        elif c == 0x0a:
            out.append("\\n\n")  # a visible break after each LF
        elif c == 0x09:
            out.append("\\t")
        elif c == 0x5c:
            out.append("\\\\")
        elif 0x20 <= c < 0x7f:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    if len(data) > limit:
        out.append("... (%d more bytes)" % (len(data) - limit))
    return "".join(out)


def plot(samples, png, title):
    """Draws samples [(seconds, execs, exec_per_sec, corpus, coverage)] into
    png (three panels side by side). Returns None, or why there is no plot."""
    gp = shutil.which("gnuplot")
    if not gp:
        return GNUPLOT_MISSING
    data = png[:-len(".png")] + ".tsv"
    with open(data, "w") as f:
        f.write("# seconds\texecs\texec_per_sec\tcorpus\tcoverage\n")
        for s in samples:
            f.write("%.1f\t%d\t%d\t%d\t%d\n" % tuple(s))
    q = lambda s: "'" + s.replace("'", "''") + "'"  # a gnuplot string
    panels = [("coverage (edges / features)", 5), ("corpus (inputs)", 4), ("exec/s", 3)]
    script = ["set terminal pngcairo size 1200,340 font ',9'", "set output " + q(png),
              "set datafile separator '\\t'", "set grid", "set key off", "set xlabel 'seconds'",
              "set offsets 0, 0, graph 0.05, graph 0.05",
              "set multiplot layout 1,3 title " + q(title)]
    for name, col in panels:
        script += ["set title " + q(name), "set yrange [0:*]" if col == 3 else "set autoscale y",
                   "plot %s using 1:%d with linespoints pointtype 7 pointsize 0.4 linewidth 1.5" % (q(data), col)]
    script.append("unset multiplot")
    try:
        p = subprocess.run([gp], input="\n".join(script) + "\n", text=True, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "gnuplot took more than 60 s"
    if p.returncode != 0 or not os.path.exists(png):
        return "gnuplot failed: " + (p.stderr.strip()[-400:] or "exit %d" % p.returncode)
    return None


def afl_samples(state_dir):
    """The samples of an AFL++ run, from its plot_data (AFL++ writes a row
    every few seconds): [(seconds, execs, exec/s, corpus, edges)]."""
    path = os.path.join(state_dir, "plot_data")
    rows, cols = [], None
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return rows
    for line in lines:
        if line.startswith("#"):
            cols = [c.strip() for c in line.lstrip("# ").split(",")]
            continue
        if not cols or not line.strip():
            continue
        v = dict(zip(cols, (x.strip() for x in line.split(","))))
        try:
            t = float(v.get("relative_time", v.get("unix_time", 0)))
            rows.append((t, int(float(v.get("total_execs", 0))), int(float(v.get("execs_per_sec", 0))),
                         int(float(v.get("corpus_count", v.get("paths_total", 0)))),
                         int(float(v.get("edges_found", 0)))))
        except ValueError:
            continue
    return rows


def afl_plot(state_dir, dest):
    """afl-plot's own pages for an AFL++ run: (dest/index.html, None), or
    (None, why there are none)."""
    if not shutil.which("afl-plot"):
        return None, "afl-plot not found (Debian package afl++)"
    if not shutil.which("gnuplot"):
        return None, GNUPLOT_MISSING
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest, exist_ok=True)
    p = subprocess.run(["afl-plot", state_dir, dest], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace", timeout=120)
    index = os.path.join(dest, "index.html")
    if os.path.exists(index):
        return index, None
    said = [l for l in p.stdout.splitlines() if "Error" in l or "[-]" in l]
    return None, "afl-plot made no pages: " + (said[-1].replace("[-] ", "").strip() if said else "exit %d" % p.returncode)


def write(out, stats):
    """Writes out/report.html (and its images under out/report/) from the
    campaign's stats (each harness result carries its samples); returns
    the report's path."""
    img_dir = os.path.join(out, "report")
    os.makedirs(img_dir, exist_ok=True)
    rel = lambda p: os.path.relpath(p, out)
    e = html.escape
    body = ["<h1>hparse fuzz campaign</h1>",
            "<p>Engine: %s. Each plot: coverage, corpus size and exec/s over the run, as the runner sampled them "
            "(libFuzzer's status lines; AFL++'s plot_data).</p>" % e(stats["engine"])]
    rows = []
    for r in stats["harnesses"]:
        rows.append("<tr><td><a href='#%s'>%s</a></td><td>%d s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                    "<td class='%s'>%d</td></tr>" % (
                        e(r["harness"]), e(r["harness"]), r["seconds"], r["execs"], r["exec_per_sec"], r["corpus"],
                        r["coverage"], "bad" if r["crashes"] else "ok", len(r["crashes"])))
    if rows:
        body.append("<table><tr><th>harness</th><th>time</th><th>execs</th><th>exec/s</th><th>corpus</th>"
                    "<th>coverage</th><th>crashes</th></tr>%s</table>" % "".join(rows))
    if "coverage" in stats:
        c = stats["coverage"]
        body.append("<p>parser/ coverage from replaying corpus/ and the campaign's inputs: lines %.2f %% (%d/%d), "
                    "branches %.2f %% (%d/%d): <a href='%s'>llvm-cov report</a></p>" % (
                        c["line_percent"], c["lines"][0], c["lines"][1], c["branch_percent"],
                        c["branches"][0], c["branches"][1], e(rel(c["html"]))))
    for r in stats["harnesses"]:
        h = r["harness"]
        body.append("<h2 id='%s'>%s</h2>" % (e(h), e(h)))
        png = os.path.join(img_dir, "%s-%s.png" % (stats["engine"], h))
        why = plot(r.get("samples") or [(0, 0, 0, 0, 0)], png, "%s (%s)" % (h, stats["engine"]))
        if why:
            body.append("<p class='bad'>no plot: %s</p>" % e(why))
        else:
            body.append("<img src='%s' alt='%s: coverage, corpus and exec/s over time'>" % (e(rel(png)), e(h)))
        if r.get("afl_target_mode"):
            body.append("<p>afl-fuzz target mode (fuzzer_stats): <code>%s</code></p>" % e(r["afl_target_mode"]))
        if r.get("afl_plot"):
            body.append("<p><a href='%s'>afl-plot's pages for this run</a></p>" % e(rel(r["afl_plot"])))
        elif r.get("afl_plot_missing"):
            body.append("<p>%s</p>" % e(r["afl_plot_missing"]))
        for c in r["crashes"]:
            try:
                data = open(c["minimized"], "rb").read()
            except OSError as err:
                data = ("(cannot read %s: %s)" % (c["minimized"], err.strerror)).encode()
            body.append("<h3 class='bad'>crash: %s</h3><p>reproduce with <code>%s</code></p>"
                        "<pre>%s</pre><pre>%s</pre>" % (e(os.path.basename(c["input"])), e(c["reproduce"]),
                                                        e("\n".join(c.get("reason", []))), e(escape_bytes(data))))
        if not r["crashes"]:
            body.append("<p class='ok'>no crash</p>")
    style = ("body{font-family:sans-serif;margin:2em;max-width:1250px}table{border-collapse:collapse}"
             "td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}th{background:#eee}"
             "img{max-width:100%}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}"
             ".bad{color:#b00}.ok{color:#070}")
    path = os.path.join(out, "report.html")
    with open(path, "w") as f:
        f.write("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>hparse fuzz campaign</title>"
                "<style>%s</style></head><body>\n%s\n</body></html>\n" % (style, "\n".join(body)))
    return path
