"""Mutation testing of the integrity code: killed / survived per module, and what it cost.

    pip install mutmut            # a test-only tool, not in any extra: CI does not run this
    python benchmarks/mutation.py [--module verify codec ...] [--children 1]

mutmut (3.x) copies ``src/`` and ``tests/`` to ``./mutants/`` (git-ignored), changes one thing
at a time in the functions below (a ``<`` for ``<=``, a string, a dropped argument …) and runs
the tests that cover that function, from the selection in ``[tool.mutmut]`` of pyproject.toml.
A mutant that no test fails on "survived": a gap in the tests, or a change that does not change
behaviour ("equivalent"; the known ones are listed below with the reason). Results are cached
in ``./mutants/``; a rerun checks only what changed. The baseline is the same test selection run
once, unmutated, in the same run.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent

# Module → the mutant names (globs) run: the integrity code, not the whole file (CPU is scarce).
MODULES: dict[str, list[str]] = {
    "verify": ["evidence_kit.ledger.verify.*"],
    "codec": [
        f"evidence_kit.ledger.codec.x_{f}__mutmut_*"
        for f in ("canonical", "event_hash", "entry_id_for", "sort_key")
    ],
    "events": [
        f"evidence_kit.ledger.events.xǁLedgerǁ{f}__mutmut_*"
        for f in (
            "head",
            "append",
            "append_locked",
            "write_head",
            "read_head_file",
            "raw_events",
            "referenced_shas",
            "derived_check",
            "_derived_rows",
        )
    ],
    "store": ["evidence_kit.ledger.store.*"],
    "manifest": ["evidence_kit.bundle.manifest.*"],
}

# Survivors that change nothing a caller can see, by mutant name, with the reason.
EQUIVALENT: dict[str, str] = {
    "evidence_kit.ledger.codec.x_canonical__mutmut_3": (
        "ensure_ascii=None: None is falsy, json.dumps treats it as False"
    ),
    "evidence_kit.ledger.codec.x_event_hash__mutmut_7": (
        '"UTF-8" for "utf-8": the same codec'
    ),
    "evidence_kit.ledger.verify.x__check_index__mutmut_7": (
        "lower-case SQL: SQLite keywords and names are case-insensitive"
    ),
    "evidence_kit.ledger.verify.x__check_index__mutmut_8": (
        "upper-case SQL: SQLite keywords and names are case-insensitive"
    ),
    "evidence_kit.bundle.manifest.x_manifest_json__mutmut_3": (
        "ensure_ascii=None: None is falsy, json.dumps treats it as False"
    ),
    "evidence_kit.bundle.manifest.x_manifest_json__mutmut_11": '"UTF-8" for "utf-8": the same codec',
    "evidence_kit.bundle.manifest.x_verify_bundle__mutmut_39": '"UTF-8" for "utf-8": the same codec',
    **{
        f"evidence_kit.ledger.store.xǁStoreǁput_bytes__mutmut_{n}": (
            "the display name of bytes is only used when a file changes while read, and bytes "
            "in memory are never checked for that (no stat to compare)"
        )
        for n in (2, 7, 8)
    },
}


def module_of(name: str) -> str | None:
    for module, globs in MODULES.items():
        if any(fnmatch.fnmatchcase(name, g) for g in globs):
            return module
    return None


def test_selection() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return list(config["tool"]["mutmut"]["pytest_add_cli_args_test_selection"])


def results(mutmut: str) -> dict[str, str]:
    out = subprocess.run(
        [mutmut, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            found[m.group(1)] = m.group(2).strip()
    return found


def diff_of(mutmut: str, name: str) -> str:
    out = subprocess.run(
        [mutmut, "show", name], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout
    return " | ".join(
        line.strip()
        for line in out.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--module", nargs="+", choices=list(MODULES), default=list(MODULES))
    ap.add_argument("--children", type=int, default=1, help="parallel mutant runs (default 1)")
    args = ap.parse_args()
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which(
        "mutmut"
    )
    if mutmut is None:
        print("mutmut is not installed: pip install mutmut", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    base = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *test_selection()],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    baseline = time.perf_counter() - t0
    if base.returncode != 0:
        print(base.stdout[-3000:], file=sys.stderr)
        print("the test selection fails unmutated: fix that first", file=sys.stderr)
        return 1

    globs = [g for m in args.module for g in MODULES[m]]
    t0 = time.perf_counter()
    run = subprocess.run(
        [mutmut, "run", "--max-children", str(args.children), *globs],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - t0
    if run.returncode != 0:
        print(run.stdout[-3000:] + run.stderr[-3000:], file=sys.stderr)
        return 1

    states: dict[str, Counter[str]] = {m: Counter() for m in args.module}
    survivors: list[str] = []
    for name, state in sorted(results(mutmut).items()):
        module = module_of(name)
        if module not in states:
            continue
        if state == "survived" and name in EQUIVALENT:
            state = "equivalent"
        states[module][state] += 1
        if state == "survived":
            survivors.append(name)

    print(f"baseline: the test selection once, unmutated: {baseline:.1f} s")
    print(f"mutation run ({args.children} child process(es)): {elapsed:.1f} s")
    print(f"{'module':<10} {'mutants':>8} {'killed':>7} {'survived':>9} {'equivalent':>11} other")
    for module, counts in states.items():
        other = {k: v for k, v in counts.items() if k not in ("killed", "survived", "equivalent")}
        print(
            f"{module:<10} {sum(counts.values()):>8} {counts['killed']:>7} "
            f"{counts['survived']:>9} {counts['equivalent']:>11} {other or ''}"
        )
    for name in survivors:
        print(f"SURVIVED {name}: {diff_of(mutmut, name)}")
    for name, reason in EQUIVALENT.items():
        if module_of(name) in states:
            print(f"equivalent {name}: {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
