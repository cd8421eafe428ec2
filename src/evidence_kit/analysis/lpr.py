"""The one-year Loan Prime Rate (LPR) in force on a date, from the table shipped in
``evidence_kit/data/lpr.csv`` (sources and caveats in ``data/lpr.md``).

The CSV holds one row per *change* of the rate; a value stays in force until the next
publication (「以上LPR在下一次发布LPR之前有效」), so the applicable value is the latest row
dated on or before the contract-formation date.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

from evidence_kit.errors import AnalysisError, ConfigError

# The monthly publications are known (unchanged at 3.00) through this date; see lpr.md §1.
# Later contract dates get a warning: the table may be missing a change.
KNOWN_THROUGH = date(2026, 8, 20)
FIRST_LPR = date(2019, 8, 20)


@dataclass(frozen=True)
class LprRow:
    effective_date: date
    lpr_1y: Decimal
    lpr_5y: Decimal
    sources: str


@dataclass(frozen=True)
class LprValue:
    """The one-year LPR (percent per year) that applies on a date, and where it came from."""

    rate: Decimal
    effective_date: date | None  # publication date of the fixing; None for a user override
    source: str
    warnings: tuple[str, ...] = ()

    @property
    def cap(self) -> Decimal:
        return self.rate * 4


@dataclass(frozen=True)
class LprTable:
    rows: tuple[LprRow, ...]

    def lpr_on(self, day: date) -> LprValue:
        earlier = [row for row in self.rows if row.effective_date <= day]
        if not earlier:
            raise AnalysisError(
                f"no LPR before {self.rows[0].effective_date.isoformat()} "
                f"(asked for {day.isoformat()}): the LPR was first published on 2019-08-20",
                "for earlier contracts 4×LPR is not the rule; set loan.lpr_override only if "
                "you have a reason to compare",
            )
        row = earlier[-1]
        warnings = []
        if row.effective_date == day:
            warnings.append(
                f"{day.isoformat()} is an LPR publication day; the new value was used, but a "
                "contract formed before the morning publication would take the previous one"
            )
        if day > KNOWN_THROUGH:
            warnings.append(
                f"the shipped LPR table is known only through {KNOWN_THROUGH.isoformat()}; "
                "check the current LPR and set loan.lpr_override if it changed"
            )
        return LprValue(
            rate=row.lpr_1y,
            effective_date=row.effective_date,
            source=f"全国银行间同业拆借中心 {row.effective_date.isoformat()} 公布的一年期LPR "
            f"(evidence-kit lpr.csv; {row.sources})",
            warnings=tuple(warnings),
        )


def parse_lpr_csv(text: str) -> LprTable:
    rows = []
    for line_no, record in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            rows.append(
                LprRow(
                    effective_date=date.fromisoformat(record["date"]),
                    lpr_1y=Decimal(record["lpr_1y"]),
                    lpr_5y=Decimal(record["lpr_5y"]),
                    sources=record.get("sources") or "",
                )
            )
        except (KeyError, ValueError, ArithmeticError) as e:
            raise ConfigError(
                f"LPR table line {line_no} cannot be read: {record}",
                "columns are date,lpr_1y,lpr_5y,verified,sources",
            ) from e
    if not rows:
        raise ConfigError("the LPR table is empty", "columns are date,lpr_1y,lpr_5y,...")
    return LprTable(tuple(sorted(rows, key=lambda r: r.effective_date)))


def load_lpr_table(path: Path | None = None) -> LprTable:
    """The shipped table, or the CSV at ``path`` (same columns)."""
    if path is None:
        text = resources.files("evidence_kit").joinpath("data/lpr.csv").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return parse_lpr_csv(text)


def override_value(rate: Decimal) -> LprValue:
    return LprValue(
        rate=rate,
        effective_date=None,
        source="用户在 case.toml 中填写的 loan.lpr_override",
    )


def lpr_on(day: date, table: LprTable | None = None) -> LprValue:
    return (table or load_lpr_table()).lpr_on(day)
