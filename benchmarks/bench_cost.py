"""How fast and how close the pure-Python rate solver is.

    python benchmarks/bench_cost.py

Times ``cost_of`` on generated schedules (regular and irregular, with fees) and, when scipy is
installed, reports the largest difference from scipy's brentq on the same equations.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from evidence_kit.analysis.cost import cost_of
from evidence_kit.analysis.loan import parse_loan
from evidence_kit.analysis.lpr import load_lpr_table
from evidence_kit.analysis.rates import add_months


def schedule(rng: random.Random) -> tuple[dict, float, date, list[tuple[date, float]]]:
    start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
    n = rng.choice([3, 6, 12, 24, 36])
    principal = rng.choice([2000, 5000, 10000, 50000])
    monthly = rng.uniform(0.003, 0.04)
    pay = round(principal * monthly / (1 - (1 + monthly) ** -n), 2)
    irregular = rng.random() < 0.5
    flows = []
    for k in range(1, n + 1):
        when = add_months(start, k)
        if irregular:
            when += timedelta(days=rng.randint(-3, 6))
        flows.append((when, pay))
        if rng.random() < 0.3:
            flows.append((when, round(principal * 0.005, 2)))  # fee to a third party
    received = principal * rng.choice([1.0, 0.98, 0.95])
    config = {
        "loan": {
            "lender_type": rng.choice(["bank", "consumer-finance", "microloan", "other"]),
            "received_amount": f"{received:.2f}",
            "received_date": start.isoformat(),
            "payments": [
                {"date": d.isoformat(), "amount": f"{a:.2f}", "kind": "installment"}
                for d, a in flows
            ],
        }
    }
    return config, received, start, flows


def main() -> None:
    rng = random.Random(7)
    table = load_lpr_table()
    cases = [schedule(rng) for _ in range(1000)]
    t0 = time.perf_counter()
    reports = [cost_of(parse_loan(c[0]), table) for c in cases]
    elapsed = time.perf_counter() - t0
    print(
        f"cost_of: {len(cases)} schedules in {elapsed:.2f} s ({1000 * elapsed / len(cases):.2f} ms each)"
    )

    try:
        from scipy.optimize import brentq
    except ImportError:
        print("scipy not installed: accuracy check skipped")
        return
    worst = 0.0
    for (_, received, start, flows), report in zip(cases, reports):
        pairs = [(0.0, received)] + [((d - start).days / 365, -a) for d, a in flows]

        def f(r: float, pairs: list[tuple[float, float]] = pairs) -> float:
            return sum(a / (1 + r) ** t for t, a in pairs)

        ref = 100 * brentq(f, 1e-9, 1e4, xtol=1e-14)
        worst = max(worst, abs(float(report.xirr) - ref))
    print(f"XIRR vs scipy brentq: largest difference {worst:.4f} percentage points")


if __name__ == "__main__":
    main()
