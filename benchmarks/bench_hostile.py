"""Benchmark: `ingest` over other projects' test files (read at run time, never committed) plus
the generated hostile corpus of tests/hostile_corpus.py. Prints crashes ("internal error"),
aborted batches, tracebacks, the slowest file, files refused although Pillow or pypdf reads
them, and the second run (all unchanged? how long?). With --baseline-src DIR the same corpus
is ingested by another checkout's code (e.g. the main branch) in the same run.

Sources (fetched GitHub snapshots under /work/.mirror, read with git; skipped when absent):
Pillow Tests/images, pypdf resources, pdf.js test/pdfs.

Run: python benchmarks/bench_hostile.py [--n 400] [--ocr] [--baseline-src ../main/src]
     python benchmarks/bench_hostile.py --memory   # peak RSS: a 50 MB note, a 20000² image
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MIRROR = Path(os.environ.get("EK_MIRROR", "/work/.mirror"))
SOURCES = [
    ("python-pillow+Pillow", "Tests/images/"),
    ("py-pdf+pypdf", "resources/"),
    ("mozilla+pdf.js", "test/pdfs/"),
]


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], capture_output=True, check=True
    ).stdout


def mirror_files(n: int) -> list[tuple[str, str, str, str]]:
    """(repo, commit, path, blob) of up to n files, chosen by a stable hash of the path."""
    found = []
    for name, prefix in SOURCES:
        repo = MIRROR / name / "repo"
        if not repo.is_dir():
            print(f"  (no snapshot of {name}: skipped)")
            continue
        commit = git(repo, "rev-parse", "HEAD").decode().strip()
        for line in git(repo, "ls-tree", "-r", "-l", commit, prefix).decode().splitlines():
            meta, path = line.split("\t", 1)
            _mode, kind, blob, size = meta.split()
            if kind != "blob" or not size.isdigit() or not 0 < int(size) < 30_000_000:
                continue
            if path.endswith((".py", ".md", ".json", ".yml", ".link", ".gitignore", "LICENSE")):
                continue
            found.append((name, commit, path, blob))
    found.sort(key=lambda f: hashlib.sha1(f[2].encode()).hexdigest())
    return found[:n]


def build_corpus(folder: Path, n: int) -> dict[str, str]:
    """Write the corpus into ``folder``; returns file name → where it came from."""
    from tests.hostile_corpus import build

    origin = {name: "generated" for name in build(folder)}
    picked = mirror_files(max(0, n - len(origin)))
    for repo_name, commit, path, blob in picked:
        data = git(MIRROR / repo_name / "repo", "cat-file", "blob", blob)
        name = f"{repo_name.split('+')[1]}__{path.replace('/', '_')}"
        (folder / name).write_bytes(data)
        origin[name] = f"{repo_name.replace('+', '/')}@{commit[:12]}:{path}"
    return origin


def run_ingest(case: Path, *, ocr: bool, src: str | None) -> dict:
    cmd = [sys.executable, "-m", "evidence_kit", "--case", str(case), "ingest", "--json"]
    if not ocr:
        cmd.append("--no-ocr")
    env = {**os.environ, "EVIDENCE_KIT_LANG": "en"}
    if src:
        env["PYTHONPATH"] = src
    start = last = time.monotonic()
    lines: list[tuple[float, dict]] = []
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        assert proc.stdout is not None
        for raw in proc.stdout:
            now = time.monotonic()
            try:
                lines.append((now - last, json.loads(raw)))
            except json.JSONDecodeError:
                lines.append((now - last, {"path": "?", "status": "garbage", "error": raw}))
            last = now
        rc = proc.wait()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return {"rc": rc, "seconds": time.monotonic() - start, "lines": lines, "stderr": stderr}


def readable_by_a_library(path: Path) -> bool:
    """Pillow decodes it in full, or pypdf lists its pages, or poppler opens it."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                im.load()
                return True
    except Exception:
        pass
    try:
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.CRITICAL)
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return len(reader.pages) > 0
    except Exception:
        pass
    from evidence_kit.ocr.pdf import poppler_page_count

    return poppler_page_count(path) is not None


def report(label: str, origin: dict[str, str], first: dict, second: dict, folder: Path) -> None:
    files = len(origin)
    results = [r for _, r in first["lines"]]
    crashes = [r for r in results if "internal error" in (r.get("error") or "")]
    aborted = first["rc"] not in (0, 1) or len(results) < files
    tracebacks = first["stderr"].count("Traceback")
    slow_s, slow = max(first["lines"], key=lambda x: x[0]) if first["lines"] else (0, {})
    failed = [r for r in results if r["status"] == "failed"]
    # The generated corpus refuses some readable files on purpose (a PNG named .mp3, a package).
    wrongly = [
        r["path"]
        for r in failed
        if origin.get(r["path"]) != "generated" and readable_by_a_library(folder / r["path"])
    ]
    again = [r for _, r in second["lines"]]
    unchanged = sum(1 for r in again if r["status"] == "unchanged")
    print(f"\n[{label}]")
    print(f"  files {files}, results {len(results)}, exit code {first['rc']}")
    print(f"  crashes (internal error): {len(crashes)}   aborted batch: {'yes' if aborted else 'no'}")
    print(f"  tracebacks on stderr: {tracebacks}   stderr bytes: {len(first['stderr'])}")
    print(f"  first run {first['seconds']:.1f} s; slowest file {slow_s:.2f} s ({slow.get('path')})")
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"  statuses: {statuses}")
    print(f"  refused although Pillow/pypdf/poppler read it: {len(wrongly)} {wrongly[:8]}")
    print(
        f"  second run {second['seconds']:.2f} s: {unchanged}/{len(again)} unchanged, "
        f"{sum(1 for r in again if r['status'] == 'failed')} failed again"
    )
    for r in failed:
        if r["path"] in wrongly:
            print(f"    refused: {r['path']}: {r['error']}")
    for r in crashes[:10]:
        print(f"    crash: {r['path']}: {r['error']}")
    if tracebacks:
        print("    " + first["stderr"][-1500:].replace("\n", "\n    "))


def per_file_ocr(folder: Path, first: dict) -> None:
    """Each ingested image or PDF read alone in this process (no cache): the slowest file."""
    from evidence_kit.errors import EvidenceKitError
    from evidence_kit.intake.filetypes import inspect_file
    from evidence_kit.ocr import ocr_file

    times: list[tuple[float, str]] = []
    errors = 0
    for _, r in first["lines"]:
        if r["status"] != "ingested":
            continue
        path = folder / r["path"]
        if not path.exists():
            continue  # a name shown readably (GBK bytes on disk)
        try:
            facts = inspect_file(path, path.name)
        except EvidenceKitError:
            continue
        if not (facts.mime.startswith("image/") or facts.mime == "application/pdf"):
            continue
        kind = "pdf" if facts.mime == "application/pdf" else "image"
        t = time.monotonic()
        try:
            ocr_file(path, "bench", kind=kind)
        except EvidenceKitError:
            errors += 1
        times.append((time.monotonic() - t, r["path"]))
    times.sort(reverse=True)
    print(f"  OCR alone: {len(times)} files, {errors} refused while reading")
    for seconds, name in times[:3]:
        print(f"    {seconds:.1f} s  {name}")
    print(f"  files over 60 s: {sum(1 for s_, _ in times if s_ > 60)}")


def memory(ocr: bool) -> None:
    """Peak RSS of the ingest process tree (workers are waited for, so they count)."""
    from PIL import Image

    from evidence_kit.case import init_case

    with tempfile.TemporaryDirectory(prefix="ek-mem-") as tmp:
        for label, make in [
            ("50 MB one-line note", lambda p: p.write_bytes(("催收来电3000元，" * 3_500_000).encode())),
            ("20000×20000 image", lambda p: Image.new("L", (20000, 20000), 255).save(p, "PNG")),
        ]:
            case, _ = init_case(Path(tmp) / label.split()[0])
            path = case.root / ("note.txt" if "note" in label else "big.png")
            make(path)
            code = (
                "import resource,subprocess,sys,time;t=time.monotonic();"
                "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
                "m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
                "print(f'{m:.0f} {time.monotonic()-t:.1f} '+repr(r.stdout.strip()[:300]))"
            )
            cmd = [sys.executable, "-m", "evidence_kit", "--case", str(case.root), "ingest", "--json"]
            if not ocr:
                cmd.append("--no-ocr")
            out = subprocess.run(
                [sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True
            ).stdout.split(" ", 2)
            size = path.stat().st_size / 1e6
            print(f"  {label} ({size:.1f} MB file): peak RSS {out[0]} MB, {out[1]} s, {out[2]}")
            t = time.monotonic()
            subprocess.run(
                [sys.executable, "-m", "evidence_kit", "--case", str(case.root), "search", "3000"],
                capture_output=True,
            )
            print(f"    search afterwards: {time.monotonic() - t:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--ocr", action="store_true", help="OCR as well (slow: minutes)")
    ap.add_argument("--baseline-src", help="another checkout's src/ to compare with")
    ap.add_argument("--memory", action="store_true")
    ap.add_argument(
        "--per-file-ocr", action="store_true", help="time OCR of every image/PDF alone (slow)"
    )
    args = ap.parse_args()
    if args.memory:
        memory(args.ocr)
        return
    from evidence_kit.case import init_case

    with tempfile.TemporaryDirectory(prefix="ek-hostile-") as tmp:
        runs = [("this checkout", None)]
        if args.baseline_src:
            runs.insert(0, (f"baseline {args.baseline_src}", args.baseline_src))
        for label, src in runs:
            case, _ = init_case(Path(tmp) / f"case{len(label)}")
            origin = build_corpus(case.root, args.n)
            first = run_ingest(case.root, ocr=args.ocr, src=src)
            second = run_ingest(case.root, ocr=args.ocr, src=src)
            report(label, origin, first, second, case.root)
            if args.per_file_ocr and src is None:
                per_file_ocr(case.root, first)
        sources = sorted({o.split(":")[0] for o in origin.values()})
        print(f"\n  sources: {', '.join(sources)}")


if __name__ == "__main__":
    main()
