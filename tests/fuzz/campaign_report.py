#!/usr/bin/env python3
"""fuzz.campaign_report: `fuzz/campaign --time 5s --harness request` writes
report.html in its work directory, with the summary table, and every image
it links is a valid PNG (signature, chunk CRCs, IHDR, image data that
inflates to the size IHDR says, IEND).

  campaign_report.py WORKDIR
"""
import os, re, shutil, struct, subprocess, sys, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def check_png(path):
    """Raises ValueError saying what is wrong with the PNG file at path."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        if pos + 12 > len(data):
            raise ValueError("a truncated chunk at byte %d" % pos)
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n or pos + 12 + n > len(data):
            raise ValueError("chunk %r runs past the end" % kind)
        crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("chunk %r has a wrong CRC" % kind)
        chunks.append((kind, body))
        if kind == b"IDAT":
            idat += body
        pos += 12 + n
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise ValueError("IHDR is not first or IEND not last")
    w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(color)
    if not w or not h or channels is None or interlace != 0:
        raise ValueError("IHDR: %dx%d, colour type %d, interlace %d" % (w, h, color, interlace))
    raw = zlib.decompress(idat)
    want = h * (1 + (w * channels * depth + 7) // 8)
    if len(raw) != want:
        raise ValueError("image data inflates to %d bytes, IHDR says %d" % (len(raw), want))
    return w, h


def main():
    work = sys.argv[1]
    shutil.rmtree(work, ignore_errors=True)
    cmd = [sys.executable, os.path.join(ROOT, "fuzz", "campaign"), "--time", "5s", "--harness", "request",
           "--out", work]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900)
    if p.returncode != 0:
        sys.exit("campaign failed (exit %d):\n%s" % (p.returncode, p.stdout[-3000:]))
    path = os.path.join(work, "report.html")
    if "report: " + path not in p.stdout:
        sys.exit("campaign did not print the report's path:\n" + p.stdout[-2000:])
    page = open(path).read()
    for want in ("<table>", ">request<", "exec/s", "no crash"):
        if want not in page:
            sys.exit("report.html lacks %r" % want)
    imgs = re.findall(r"<img src='([^']+)'", page)
    if not imgs:
        sys.exit("report.html links no image:\n" + page[-1500:])
    for src in imgs:
        try:
            w, h = check_png(os.path.join(work, src))
        except (OSError, ValueError, zlib.error) as e:
            sys.exit("%s is not a valid PNG: %s" % (src, e))
        print("ok: %s, a %dx%d PNG" % (src, w, h))
    print("ok: report.html with %d plot(s)" % len(imgs))


if __name__ == "__main__":
    main()
