"""Score the kit against other projects' public test suites, side by side with jionlp,
Recognizers-Text and dateparser, in one run.

    python benchmarks/suites.py [--show-misses SOURCE] [--exclusions] [--only kit,jionlp]
                                [--before REV]

``--before REV`` adds a column for the kit as it was at git revision REV (its ``src`` is
exported to a temporary directory and run in a child process), so before and after come from
one run.

The comparators are benchmark-only, installed into the venv by hand (not dependencies):
``pip install jionlp dateparser recognizers-text-suite "emoji==1.7.0"`` (Recognizers-Text
1.0.2a2 imports ``emoji.UNICODE_EMOJI``, gone from emoji 2). A missing one is skipped and said.

The cases are read at run time from snapshots of the public repositories under
/work/.mirror (or $SUITES_MIRROR): nothing of theirs is kept in this project. Each case records
repository, commit and path; every case left out is listed with its reason (``--exclusions``).

Sources: jionlp (test/test_money_parser.py, test/test_time_parser.py), Microsoft
Recognizers-Text (Specs/NumberWithUnit/Chinese/CurrencyModel.json,
Specs/DateTime/Chinese/DateTimeModel.json; English CurrencyModel.json as the English currency
set), Duckling (Duckling/AmountOfMoney/ZH/Corpus.hs, Duckling/Time/ZH/Corpus.hs), dateparser
(tests/test_date_parser.py, Chinese params), cn2an (cn2an/transform_test.py, sentence pairs with
money or a full date).

Scoring, the same for every system: a case's gold is a list of mentions, each a set of accepted
canonical values; a prediction matches one unmatched gold mention holding its value (TP),
else it is a false positive; gold left unmatched are false negatives. A date matches by the
rule the issue gives for images: the same day, and the same minute where both have a time
(``周二早上``: a day meets jionlp's 06:00; ``--exact`` asks for the gold's form to the second);
a range by both ends; exact matches are paired first. Amounts are
``value|ISO-currency``; dates are ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS`` (a time of exactly
00:00:00 is dropped, for all systems alike), a range ``start/end``. Durations and recurring
sets have no gold date: a date read from them is a false positive.

One representation adapter, printed beside the raw figure, never instead of it: jionlp's gold
writes "before X" (``年底前``, ``3月5日以前``) as the span from the reference to X, where the kit
reports the day X flagged ``is_deadline`` (before a year or a month still to come, ``2025年前``,
the kit too reports the span). The row ``jionlp+dl`` scores the same cases with
each kit deadline mapped to ``reference/X`` (``DEADLINE_SPAN_SOURCES``); the other systems'
cells in that row are their raw ones. The row ``jionlp`` is the kit's raw figure.

jionlp's own output is converted by the function that converts its gold (``jionlp_value``),
so on its own suite it loses only where its ``extract_time`` differs from the test's
``parse_time``. Where jionlp's gold follows a convention that this project's hand-labelled
lines (benchmarks/data/*.jsonl, tests/unit/test_extract_grammar.py) contradict, the case stays
in and the kit keeps the project's reading: ``月底`` is the month's last day, not its last
week; a bare ``星期一`` in evidence is the past one; ``9月10号，11号`` are days, not a span; ``明天上午10点前`` is the
deadline moment (the ``+dl`` row shows it as jionlp's span); ``我现在…`` names no date. And
``周二早上`` is that day: the text gives no hour (jionlp's gold puts a part of the day at its
first hour, 早上 06:00 and 上午 07:00; Recognizers' at a range, 上午 08:00-12:00). An offset
(``半小时前``) is that moment (jionlp's gold writes it, said at 07:00, as 06:00).
Windows (``3天内``) and spans back (``三个多月以来``) are read as jionlp's gold reads them,
from the reference (see ``evidence_kit.extract.windows``).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

MIRROR = Path(os.environ.get("SUITES_MIRROR", "/work/.mirror"))
HERE = Path(__file__).resolve().parent

os.environ["TZ"] = "Asia/Shanghai"  # jionlp's test timestamps are Beijing wall time
time.tzset()


@dataclass
class Case:
    source: str
    repo: str
    commit: str
    path: str
    kind: str  # "amount" | "date"
    text: str
    gold: list[set[str]]
    reference: datetime
    lang: str = "zh"


@dataclass
class Loaded:
    cases: list[Case] = field(default_factory=list)
    excluded: list[tuple[str, str, str]] = field(default_factory=list)  # source, text, reason
    missing: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ canonical values

CURRENCY_NAMES = {
    "元": "CNY",
    "人民币": "CNY",
    "块": "CNY",
    "CNY": "CNY",
    "RMB": "CNY",
    "港元": "HKD",
    "港币": "HKD",
    "HKD": "HKD",
    "美元": "USD",
    "USD": "USD",
    "日元": "JPY",
    "JPY": "JPY",
    "欧元": "EUR",
    "EUR": "EUR",
    "英镑": "GBP",
    "GBP": "GBP",
    "新台币": "TWD",
    "TWD": "TWD",
    "泰铢": "THB",
    "卢布": "RUB",
    "韩元": "KRW",
    "澳元": "AUD",
    "加元": "CAD",
    "新加坡元": "SGD",
    "澳门元": "MOP",
}


def money(value: object, currency: str) -> str:
    try:
        d = Decimal(str(value)).normalize()
    except InvalidOperation:
        return f"?{value}|{currency}"
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    return f"{d}|{currency}"


def day_or_time(dt: datetime) -> str:
    if (dt.hour, dt.minute, dt.second) == (0, 0, 0):
        return dt.date().isoformat()
    return dt.replace(microsecond=0).isoformat()


def parse_dt(s: str) -> datetime:
    return datetime.fromisoformat(s.strip().replace(" ", "T"))


def rng(a: str, b: str) -> str:
    return f"{a}/{b}"


# ------------------------------------------------------------------ loaders


def _git(repo_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo_dir), *args], capture_output=True, text=True, check=True
    ).stdout


def _snapshot(repo: str) -> tuple[Path, str] | None:
    d = MIRROR / repo.replace("/", "+") / "repo"
    if not d.is_dir():
        return None
    return d, _git(d, "rev-parse", "HEAD").strip()


def _show(d: Path, commit: str, path: str) -> str:
    return _git(d, "show", f"{commit}:{path}")


def _names_to_constants(node: ast.AST, names: dict[str, object]) -> ast.AST:
    class T(ast.NodeTransformer):
        def visit_Name(self, n: ast.Name) -> ast.AST:
            return ast.copy_location(ast.Constant(names.get(n.id)), n)

        def visit_Call(self, n: ast.Call) -> ast.AST:
            # datetime.datetime(2021, 5, 6) as a time base: the same as [2021, 5, 6]
            f = n.func
            if (
                isinstance(f, ast.Attribute)
                and f.attr == "datetime"
                and not n.keywords
                and all(isinstance(a, ast.Constant) for a in n.args)
            ):
                return ast.copy_location(ast.List(list(n.args), ast.Load()), n)
            return n

    return ast.fix_missing_locations(T().visit(node))


def _assigned_list(src: str, var: str, names: dict[str, object]) -> list:
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == var for t in node.targets
        ):
            value = _names_to_constants(node.value, names)
            items = []
            for elt in getattr(value, "elts", []):
                try:
                    items.append(ast.literal_eval(elt))
                except ValueError:
                    items.append(None)  # a case built by a call: listed as excluded
            return items
    return []


# 35:37: no hour of the day has 35 of them
_MIN_SEC = re.compile(r"(?:2[4-9]|[3-5][0-9]):[0-5][0-9]")


def load_jionlp(out: Loaded) -> None:
    repo = "dongrixinyu/JioNLP"
    snap = _snapshot(repo)
    if snap is None:
        out.missing.append(repo)
        return
    d, commit = snap
    path = "test/test_money_parser.py"
    ref = datetime(2021, 6, 14, 1, 6, 40)
    for item in _assigned_list(_show(d, commit, path), "money_string_list", {}):
        if item is None:
            out.excluded.append(("jionlp", "?", "case is computed at test time"))
            continue
        text, exp = item
        num, case = exp.get("num"), exp.get("case")
        if isinstance(num, list):
            out.excluded.append(("jionlp", text, "a money range (two bounds) in the parser suite"))
            continue
        cur = CURRENCY_NAMES.get(case)
        if cur is None:
            out.excluded.append(("jionlp", text, f"currency {case!r} has no ISO mapping here"))
            continue
        out.cases.append(
            Case("jionlp", repo, commit, path, "amount", text, [{money(num, cur)}], ref)
        )
    path = "test/test_time_parser.py"
    names = {"_ts_1": 1623604000, "_ts_2": 1630480532}
    for item in _assigned_list(_show(d, commit, path), "time_string_list", names):
        if item is None:  # its time base is time.time(): the gold depends on the day it ran
            out.excluded.append(("jionlp", "?", "case is computed at test time"))
            continue
        if len(item) < 3 or not isinstance(item[2], dict):
            out.excluded.append(("jionlp", repr(item)[:40], "not a (text, base, expected) case"))
            continue
        text, ts, exp = item[0], item[1], item[2]
        # jionlp takes the time base as a timestamp or as [year, month, day, hour, ...]
        full = ("year", "month", "day")
        if isinstance(ts, (int, float)):
            base = datetime.fromtimestamp(ts)
        elif isinstance(ts, list) and 3 <= len(ts) <= 6 and all(isinstance(x, int) for x in ts):
            base = datetime(*ts)
        elif isinstance(ts, dict) and all(k in ts for k in full):
            base = datetime(**ts)
        elif ts is None and exp.get("type") in ("time_delta", "time_period"):
            # a duration (4周, 3~6个月): no date in it whatever the reference
            base = datetime.fromtimestamp(names["_ts_1"])  # type: ignore[arg-type]
        else:
            # {'year': 2020} or [2021, 5]: jionlp leaves the rest unknown; every other system
            # needs a moment as its reference, and any day chosen would move some answers
            out.excluded.append(("jionlp", text, "time base is a partial date (no day)"))
            continue
        kind = exp.get("type")
        if kind in ("time_delta", "time_period"):
            out.cases.append(Case("jionlp", repo, commit, path, "date", text, [], base))
            continue
        times = exp.get("time")
        if (
            not isinstance(times, list)
            or len(times) != 2
            or not all(isinstance(t, str) for t in times)
        ):
            out.excluded.append(("jionlp", text, "no closed start/end in the expected value"))
            continue
        if "inf" in "".join(times):
            out.excluded.append(("jionlp", text, "open-ended span"))
            continue
        if _MIN_SEC.fullmatch(text):
            out.excluded.append(
                (
                    "jionlp",
                    text,
                    "minutes:seconds alone (35:37) read as a moment in the reference's hour; in"
                    " the screenshots a debtor keeps this form is a call or voice-message length,"
                    " never a time of day",
                )
            )
            continue
        start, end = parse_dt(times[0]), parse_dt(times[1])
        if kind == "time_point" and (end - start) > timedelta(days=1):
            out.excluded.append(("jionlp", text, "point coarser than a day (month/year/season)"))
            continue
        if (
            kind != "time_point"
            and not _one_whole_day(start, end)
            and start.day == 1
            and (end + timedelta(seconds=1)).day == 1
            and end.time().hour == 23
        ):
            out.excluded.append(("jionlp", text, "span of whole months/years"))
            continue
        accepted = {jionlp_value(kind, start, end)}
        if kind != "time_point" and end.minute == 59 and end.second == 59 and end.hour != 23:
            # an inclusive end hour (七八点 ends 20:59:59): written as its last minute or as
            # the hour itself, as a day's end is written as the day
            accepted.add(rng(day_or_time(start), day_or_time(end.replace(minute=0, second=0))))
        gold = [accepted]
        out.cases.append(Case("jionlp", repo, commit, path, "date", text, gold, base))


_DAY_END = datetime.max.time().replace(microsecond=0)


def _one_whole_day(start: datetime, end: datetime) -> bool:
    return (start.time(), end.time()) == (datetime.min.time(), _DAY_END) and end - start < timedelta(
        days=1
    )


def jionlp_value(kind: str, start: datetime, end: datetime) -> str:
    """jionlp's ``{"type", "time": [start, end]}`` as a canonical value: a point is its start,
    a span of one whole day is that day, any other span ``start/end`` with an end written
    ``hh:mm:59`` read as that minute. Used for its gold and for its own output alike."""
    if kind == "time_point":
        return day_or_time(start)
    if _one_whole_day(start, end):
        return start.date().isoformat()
    if end.time() == _DAY_END:
        e_s = end.date().isoformat()
    else:
        e_s = day_or_time(end.replace(second=0) if end.second == 59 else end)
    return rng(day_or_time(start), e_s)


def load_recognizers(out: Loaded) -> None:
    repo = "microsoft/Recognizers-Text"
    snap = _snapshot(repo)
    if snap is None:
        out.missing.append(repo)
        return
    d, commit = snap
    for path, lang in (
        ("Specs/NumberWithUnit/Chinese/CurrencyModel.json", "zh"),
        ("Specs/NumberWithUnit/English/CurrencyModel.json", "en"),
    ):
        src = "recognizers" if lang == "zh" else "english-currency"
        for item in json.loads(_show(d, commit, path)):
            text = item["Input"]
            gold = []
            bad = None
            for r in item.get("Results", []):
                res = r.get("Resolution") or {}
                iso, value = res.get("isoCurrency"), res.get("value")
                if not iso:
                    bad = f"result {r.get('Text')!r} has no ISO currency (unit {res.get('unit')!r})"
                    break
                if value is None:
                    bad = "result without a value"
                    break
                gold.append({money(value, iso)})
            if bad:
                out.excluded.append((src, text, bad))
                continue
            ref = datetime(2018, 1, 1)
            out.cases.append(Case(src, repo, commit, path, "amount", text, gold, ref, lang))
    path = "Specs/DateTime/Chinese/DateTimeModel.json"
    for item in json.loads(_show(d, commit, path)):
        try:
            _recognizers_date_case(out, repo, commit, path, item)
        except ValueError as e:
            out.excluded.append(("recognizers", item["Input"], f"unreadable resolution: {e}"))


_LUNAR_WRITTEN = re.compile(r"农历|阴历|正月|腊月|大年(?:初|三十|夜)|初[一二三四五六七八九十]|廿")


def _recognizers_date_case(out: Loaded, repo: str, commit: str, path: str, item: dict) -> None:
    if True:
        text = item["Input"]
        if _LUNAR_WRITTEN.search(text):
            out.excluded.append(
                (
                    "recognizers",
                    text,
                    "lunar date resolved as the same numbers in the solar calendar "
                    "(农历2015年十月初一 → 2015-10-01), not the day meant; jionlp's suite and the "
                    "kit convert",
                )
            )
            return
        ctx = (item.get("Context") or {}).get("ReferenceDateTime")
        ref = parse_dt(ctx) if ctx else datetime(2018, 1, 1)
        gold = []
        bad = None
        for r in item.get("Results", []):
            t = r.get("TypeName", "").replace("datetimeV2.", "")
            vals = (r.get("Resolution") or {}).get("values") or []
            if t in ("duration", "set"):
                continue
            alts = set()
            for v in vals:
                if t in ("date", "datetime") and v.get("value"):
                    alts.add(day_or_time(parse_dt(v["value"])))
                elif t == "time" and v.get("value"):
                    hh = v["value"]
                    alts.add(day_or_time(parse_dt(f"{ref.date().isoformat()}T{hh}")))
                elif t in ("daterange", "datetimerange") and v.get("start") and v.get("end"):
                    s, e = parse_dt(v["start"]), parse_dt(v["end"])
                    if t == "daterange":
                        if _coarse_timex(v.get("timex", "")):
                            bad = "week, month, year or half-year period (coarser than a day)"
                            break
                        # the end as written (its spec calls it exclusive, but for
                        # 6月1日-6月30日 it is the 30th the text names)
                        alts.add(rng(s.date().isoformat(), e.date().isoformat()))
                    else:
                        alts.add(rng(day_or_time(s), day_or_time(e)))
                else:
                    bad = f"type {t} ({v.get('timex')}) not comparable"
                    break
            if bad:
                break
            if not alts:
                bad = f"{t} result without a resolved value"
                break
            gold.append(alts)
        if bad:
            out.excluded.append(("recognizers", text, bad))
            return
        out.cases.append(Case("recognizers", repo, commit, path, "date", text, gold, ref))


def _coarse_timex(timex: str) -> bool:
    """A Recognizers period whose ends are not days: (1995,1997,P2Y), XXXX-03, 2019-W02."""
    if "W" in timex or re.fullmatch(r"\(?XXXX-\d\d\)?|\(?\d{4}(-\d\d)?\)?", timex):
        return True
    m = re.fullmatch(r"\(([^,]+),([^,]+),([^)]*)\)", timex)
    if not m:
        return False
    if not all(re.fullmatch(r"(XXXX|\d{4})-\d\d-\d\d.*", x) for x in m.groups()[:2]):
        return True
    # (1995-01-01,1997-01-01,P2Y), (XXXX-03-01,XXXX-05-01,P2M): whole years or months written
    # as such (1995-1997年, 三月到五月, 上半年), the same class the jionlp loader leaves out
    return bool(re.fullmatch(r"P\d+[YM]", m[3])) and all(x[8:10] == "01" for x in m.groups()[:2])


_HS_EX = re.compile(r"examples \((?P<head>[^\[]*?)\)\s*\[(?P<body>[^\]]*)\]", re.S)
_HS_STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def load_duckling(out: Loaded) -> None:
    repo = "facebook/duckling"
    snap = _snapshot(repo)
    if snap is None:
        out.missing.append(repo)
        return
    d, commit = snap
    ref = datetime(2013, 2, 12, 4, 30, 0)  # Duckling's testContext
    path = "Duckling/AmountOfMoney/ZH/Corpus.hs"
    for m in _HS_EX.finditer(_show(d, commit, path)):
        head = m["head"].split()
        texts = [json.loads(f'"{s}"') for s in _HS_STR.findall(m["body"])]
        gold: set[str] | None = None
        if len(head) == 3 and head[0] == "simple":
            unit, val = head[1], Decimal(head[2])
            if unit == "Cent":
                gold = {money(val / 100, "CNY")}
            elif unit == "Dollar":
                gold = {money(val, "CNY")}  # ZH corpus: 元/块 read as the generic dollar
            elif unit in ("CNY", "HKD", "USD", "EUR", "JPY"):
                gold = {money(val, unit)}
        for t in texts:
            if gold is None:
                out.excluded.append(("duckling", t, f"money form {' '.join(head)} (interval)"))
            else:
                out.cases.append(Case("duckling", repo, commit, path, "amount", t, [gold], ref))
    path = "Duckling/Time/ZH/Corpus.hs"
    for m in _HS_EX.finditer(_show(d, commit, path)):
        head = m["head"]
        texts = [json.loads(f'"{s}"') for s in _HS_STR.findall(m["body"])]
        dm = re.fullmatch(
            r"datetime(?:Holiday)? \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\) (\w+)"
            r'(?: "[^"]*")?',
            head.strip(),
        )
        reason = None
        gold = None
        if dm is None:
            reason = "interval or holiday-interval example"
        else:
            grain = dm[7]
            if grain not in ("Day", "Hour", "Minute", "Second"):
                reason = f"grain {grain} (coarser than a day)"
            else:
                dt = datetime(*map(int, dm.groups()[:6]))
                gold = [{day_or_time(dt)}]
        for t in texts:
            if gold is None:
                out.excluded.append(("duckling", t, reason or ""))
            else:
                out.cases.append(Case("duckling", repo, commit, path, "date", t, gold, ref))


_DP_PARAM = re.compile(
    r'param\(\s*"(?P<t>[^"]*[\u4e00-\u9fff][^"]*)"\s*,\s*datetime\((?P<a>[0-9, ]+)\)\s*\)'
)


def load_dateparser(out: Loaded) -> None:
    repo = "scrapinghub/dateparser"
    snap = _snapshot(repo)
    if snap is None:
        out.missing.append(repo)
        return
    d, commit = snap
    path = "tests/test_date_parser.py"
    seen = set()
    for m in _DP_PARAM.finditer(_show(d, commit, path)):
        if m["t"] in seen:
            continue
        seen.add(m["t"])
        dt = datetime(*[int(x) for x in m["a"].split(",") if x.strip()])
        out.cases.append(
            Case(
                "dateparser",
                repo,
                commit,
                path,
                "date",
                m["t"],
                [{day_or_time(dt)}],
                datetime(2015, 1, 1),
            )
        )
    out.excluded.append(
        (
            "dateparser",
            "tests/test_languages.py, test_search.py, test_freshness_date_parser.py",
            "translation/detection tests or relative deltas against the wall clock, no fixed value",
        )
    )


def load_cn2an(out: Loaded) -> None:
    repo = "Ailln/cn2an"
    snap = _snapshot(repo)
    if snap is None:
        out.missing.append(repo)
        return
    d, commit = snap
    path = "cn2an/transform_test.py"
    src = _show(d, commit, path)
    pairs: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Dict):
            try:
                dd = ast.literal_eval(node)
            except ValueError:
                continue
            pairs.extend(dd.items())
    ref = datetime(2020, 1, 1)
    for arabic, chinese in pairs:
        for inp, ref_side in ((chinese, arabic), (arabic, chinese)):
            md = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", ref_side)
            mm = re.search(r"(\d+(?:\.\d+)?)(?:块钱|元)", ref_side)
            if md and inp != ref_side:
                g = date(int(md[1]), int(md[2]), int(md[3])).isoformat()
                out.cases.append(Case("cn2an", repo, commit, path, "date", inp, [{g}], ref))
            elif mm and inp != ref_side:
                out.cases.append(
                    Case("cn2an", repo, commit, path, "amount", inp, [{money(mm[1], "CNY")}], ref)
                )
            else:
                out.excluded.append(("cn2an", inp, "no money or full date in the pair"))
            break  # the Chinese-numeral side only: that is what the suite converts


def load_all() -> Loaded:
    out = Loaded()
    for f in (load_jionlp, load_recognizers, load_duckling, load_dateparser, load_cn2an):
        try:
            f(out)
        except (subprocess.CalledProcessError, SyntaxError, ValueError) as e:
            out.missing.append(f"{f.__name__}: {e}")
    return out


# ------------------------------------------------------------------ systems

Predict = Callable[[Case], list[str]]


def kit_predict(case: Case, deadline_spans: bool = False) -> list[str]:
    from evidence_kit.extract import extract

    r = extract(case.text, reference=case.reference)
    if case.kind == "amount":
        return [money(a.value, a.currency) for a in r.amounts]
    vals = [
        _deadline_as_span(case, _kit_date(d.value))
        if deadline_spans and d.is_deadline
        else _kit_date(d.value)
        for d in r.dates
    ]
    vals += [rng(_kit_date(x.first), _kit_date(x.last)) for x in r.ranges if x.currency is None]
    return vals


# Sources whose gold writes "before X" (年底前, 3月5日以前) as the span from the
# reference to X, where the kit reports the date X flagged ``is_deadline``: the same fact in
# another representation. Their rows are printed twice, raw and with the kit's deadlines so
# mapped (the kit-before column too); no other system's output is changed.
DEADLINE_SPAN_SOURCES = ("jionlp",)


def _deadline_as_span(case: Case, value: str) -> str:
    """A kit deadline ``X`` as ``reference/X`` (how jionlp's gold writes 年底前)."""
    return rng(case.reference.replace(microsecond=0).isoformat(), value)


def kit_predict_deadline_spans(case: Case) -> list[str]:
    return kit_predict(case, deadline_spans=True)


def _kit_date(v: str) -> str:
    return day_or_time(parse_dt(v)) if "T" in v else v


def jionlp_predict(case: Case) -> list[str]:
    import jionlp as jio

    if case.kind == "amount":
        out = []
        for m in jio.ner.extract_money(case.text, with_parsing=True):
            det = m.get("detail") or {}
            num, cur = det.get("num"), CURRENCY_NAMES.get(det.get("case", ""), det.get("case"))
            if isinstance(num, list):
                out.extend(money(n, cur or "?") for n in num)
            else:
                out.append(money(num, cur or "?"))
        return out
    ts = case.reference.timestamp()
    out = []
    for m in jio.ner.extract_time(case.text, time_base=ts, with_parsing=True):
        det = m.get("detail") or {}
        t = det.get("time")
        typ = det.get("type")
        if typ in ("time_delta", "time_period") or not isinstance(t, list) or len(t) != 2:
            continue
        if not all(isinstance(x, str) and "inf" not in x for x in t):
            continue
        # the same conversion as its gold (it once collapsed every same-day span, 9~12点半,
        # to its start: a miss jionlp did not make)
        out.append(jionlp_value(typ, parse_dt(t[0]), parse_dt(t[1])))
    return out


def recognizers_predict(case: Case) -> list[str]:
    from recognizers_text import Culture

    culture = Culture.Chinese if case.lang == "zh" else Culture.English
    if case.kind == "amount":
        from recognizers_number_with_unit import recognize_currency

        out = []
        for r in recognize_currency(case.text, culture):
            res = r.resolution or {}
            iso = res.get("isoCurrency")
            if res.get("value") is not None:
                out.append(money(res["value"], iso or "?"))
        return out
    from recognizers_date_time import recognize_datetime

    out = []
    for r in recognize_datetime(case.text, culture, reference=case.reference):
        t = r.type_name.replace("datetimeV2.", "")
        vals = (r.resolution or {}).get("values") or []
        if t in ("duration", "set") or not vals:
            continue
        v = vals[-1]
        try:
            if t in ("date", "datetime") and v.get("value"):
                out.append(day_or_time(parse_dt(v["value"])))
            elif t == "time" and v.get("value"):
                out.append(day_or_time(parse_dt(f"{case.reference.date()}T{v['value']}")))
            elif t == "daterange" and v.get("start") and v.get("end"):
                e = parse_dt(v["end"])
                out.append(rng(parse_dt(v["start"]).date().isoformat(), e.date().isoformat()))
            elif t == "datetimerange" and v.get("start") and v.get("end"):
                out.append(rng(day_or_time(parse_dt(v["start"])), day_or_time(parse_dt(v["end"]))))
        except ValueError:
            continue
    return out


def dateparser_predict(case: Case) -> list[str]:
    if case.kind == "amount":
        return []
    from dateparser.search import search_dates

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = (
            search_dates(case.text, languages=["zh"], settings={"RELATIVE_BASE": case.reference})
            or []
        )
    return [day_or_time(dt) for _, dt in found]


def _case_key(c: Case) -> str:
    return json.dumps([c.source, c.path, c.kind, c.text, c.reference.isoformat()])


def kit_at(rev: str) -> tuple[Predict, Predict]:
    """The kit's predictions at git revision ``rev``, computed once in a child process:
    raw, and with its deadlines as spans (see ``DEADLINE_SPAN_SOURCES``)."""
    import io
    import tarfile
    import tempfile

    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="suites-kit-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = dict(os.environ, SUITES_KIT_SRC=str(Path(tmp) / "src"))
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--dump-kit"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
    preds: dict[str, list[str]] = json.loads(out)
    return (
        lambda case: preds.get(_case_key(case), ["!missing"]),
        lambda case: preds.get("dl:" + _case_key(case), ["!missing"]),
    )


def dump_kit(cases: list[Case]) -> None:
    preds = {}
    for c in cases:
        for prefix, spans in (("", False), ("dl:", True)):
            try:
                preds[prefix + _case_key(c)] = kit_predict(c, deadline_spans=spans)
            except Exception as e:  # an old revision's crash is its miss
                preds[prefix + _case_key(c)] = [f"!{type(e).__name__}"]
    print(json.dumps(preds))


SYSTEMS: dict[str, Predict] = {
    "kit": kit_predict,
    "jionlp": jionlp_predict,
    "recognizers": recognizers_predict,
    "dateparser": dateparser_predict,
}


# ------------------------------------------------------------------ scoring


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def f1(self) -> float:
        if self.tp == 0:
            return 0.0 if (self.fp or self.fn) else 1.0
        p, r = self.tp / (self.tp + self.fp), self.tp / (self.tp + self.fn)
        return 2 * p * r / (p + r)


# How a predicted date meets a gold one: "day" is the rule the issue gives for scoring images
# (the same day, and the same minute where both have a time; a range end by end), "exact" asks
# for the gold's representation to the second (``--exact``).
MATCH = {"rule": "day"}


def _point_meets(a: str, b: str) -> bool:
    if a[:10] != b[:10]:
        return False
    return len(a) == 10 or len(b) == 10 or a[:16] == b[:16]


def value_meets(p: str, g: str) -> bool:
    if p == g:
        return True
    if MATCH["rule"] == "exact" or "|" in p or "|" in g:  # amounts: value|currency, exact
        return False
    if ("/" in p) != ("/" in g):
        return False
    if "/" in p:
        (pa, pb), (ga, gb) = p.split("/", 1), g.split("/", 1)
        return _point_meets(pa, ga) and _point_meets(pb, gb)
    return _point_meets(p, g)


def score_case(gold: list[set[str]], pred: list[str]) -> tuple[int, int, int]:
    """Each prediction takes one gold mention: exact matches first, then by ``value_meets``
    (so a looser match never takes the mention another prediction names exactly)."""
    open_gold = list(gold)
    tp = 0
    left: list[str] = []
    for p in pred:
        i = next((i for i, g in enumerate(open_gold) if p in g), None)
        if i is None:
            left.append(p)
        else:
            del open_gold[i]
            tp += 1
    fp = 0
    for p in left:
        i = next(
            (i for i, g in enumerate(open_gold) if any(value_meets(p, v) for v in g)), None
        )
        if i is None:
            fp += 1
        else:
            del open_gold[i]
            tp += 1
    return tp, fp, len(open_gold)


def _tally(table: dict[tuple[str, str, str], Tally], key: tuple[str, str, str], gold, pred):
    tp, fp, fn = score_case(gold, pred)
    t = table.setdefault(key, Tally())
    t.tp += tp
    t.fp += fp
    t.fn += fn
    return fp, fn


def run(
    cases: list[Case],
    systems: dict[str, Predict],
    show: str | None,
    adapted: dict[str, Predict] | None = None,
) -> dict:
    """Tallies per (source, kind, system); for ``DEADLINE_SPAN_SOURCES`` also under the
    source ``"<source>+dl"``, where a system in ``adapted`` is scored by its adapted predict
    (the others by their own, unchanged)."""
    table: dict[tuple[str, str, str], Tally] = {}
    timing: dict[str, float] = {}
    adapted = adapted or {}
    for name, predict in systems.items():
        t0 = time.perf_counter()
        for c in cases:
            if (c.lang == "en" and name in ("jionlp", "dateparser")) or (
                name == "dateparser" and c.kind == "amount"
            ):
                continue
            try:
                pred = predict(c)
            except Exception as e:  # a comparator's crash is its miss, not the benchmark's
                pred = [f"!{type(e).__name__}"]
            fp, fn = _tally(table, (c.source, c.kind, name), c.gold, pred)
            if show and name == "kit" and (fp or fn) and show in (c.source, "all"):
                print(f"  MISS [{c.source}/{c.kind}] {c.text!r}: gold={c.gold} got={pred}")
            if c.source in DEADLINE_SPAN_SOURCES and c.kind == "date":
                if name in adapted:
                    try:
                        pred = adapted[name](c)
                    except Exception as e:
                        pred = [f"!{type(e).__name__}"]
                _tally(table, (c.source + "+dl", c.kind, name), c.gold, pred)
        timing[name] = time.perf_counter() - t0
    return {"table": table, "timing": timing}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show-misses", metavar="SOURCE", help="print the kit's misses (or 'all')")
    ap.add_argument("--exclusions", action="store_true", help="list every excluded case")
    ap.add_argument("--only", help="comma-separated systems to run (default: all)")
    ap.add_argument("--before", metavar="REV", help="add the kit at git revision REV")
    ap.add_argument("--dump-kit", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--exact",
        action="store_true",
        help="dates must equal the gold's representation (default: the same day, and the same"
        " minute where both have a time, as the issue scores images)",
    )
    args = ap.parse_args()
    if args.exact:
        MATCH["rule"] = "exact"
    loaded = load_all()
    if args.dump_kit:
        dump_kit(loaded.cases)
        return
    for m in loaded.missing:
        print(f"snapshot missing (fetch it with the search tool's fetch): {m}")
    systems = dict(SYSTEMS)
    if args.only:
        systems = {k: v for k, v in systems.items() if k in args.only.split(",")}
    for name in list(systems):
        mod = {"jionlp": "jionlp", "recognizers": "recognizers_text", "dateparser": "dateparser"}
        if name in mod:
            try:
                __import__(mod[name])
            except ImportError:
                print(f"{name}: not installed in this environment; skipped")
                del systems[name]
    adapted: dict[str, Predict] = {}
    if "kit" in systems:
        adapted["kit"] = kit_predict_deadline_spans
    if args.before:
        before, before_dl = kit_at(args.before)
        systems = {"kit-before": before, **systems}
        adapted["kit-before"] = before_dl
        print(f"kit-before: the kit at {args.before}")
    commits = sorted({(c.source, c.repo, c.commit, c.path) for c in loaded.cases})
    print("cases read from:")
    for src, repo, commit, path in commits:
        n = sum(1 for c in loaded.cases if (c.source, c.path) == (src, path))
        print(f"  {src:16} {repo}@{commit[:12]} {path}: {n} cases")
    excl: dict[str, int] = {}
    for src, _, _ in loaded.excluded:
        excl[src] = excl.get(src, 0) + 1
    print(
        "excluded:",
        ", ".join(f"{k} {v}" for k, v in sorted(excl.items())),
        "(--exclusions lists each with its reason)",
    )
    if args.exclusions:
        for src, text, reason in loaded.excluded:
            print(f"  EXCLUDED [{src}] {text!r}: {reason}")
    result = run(loaded.cases, systems, args.show_misses, adapted)
    table = result["table"]
    names = list(systems)
    print()
    print(f"{'source':16} {'kind':7} {'n':>4}  " + "  ".join(f"{n:>11}" for n in names))
    rows = ("jionlp", "jionlp+dl", "recognizers", "duckling", "dateparser", "cn2an")
    for src in (*rows, "english-currency"):
        for kind in ("amount", "date"):
            n = sum(
                1 for c in loaded.cases if c.source == src.removesuffix("+dl") and c.kind == kind
            )
            if not n or (src.endswith("+dl") and kind != "date"):
                continue
            cells = []
            for name in names:
                t = table.get((src, kind, name))
                cells.append(f"{t.f1():11.3f}" if t else f"{'-':>11}")
            print(f"{src:16} {kind:7} {n:>4}  " + "  ".join(cells))
    if any(k[0].endswith("+dl") for k in table):
        print(
            "jionlp+dl: the same jionlp date cases, the kit's deadlines (X前, is_deadline) scored"
            " as the span\n  reference/X that jionlp's gold writes for them; every other system"
            " as in the raw row\n  above (the raw row is the kit's figure as reported)."
        )
    print()
    print(
        "seconds per system (all cases):",
        ", ".join(f"{k} {v:.1f}" for k, v in result["timing"].items()),
    )


if __name__ == "__main__":
    sys.path.insert(0, os.environ.get("SUITES_KIT_SRC", str(HERE.parent / "src")))
    main()
