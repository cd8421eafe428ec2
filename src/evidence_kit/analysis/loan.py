"""The loan, the current bill and the budget, read from the parsed case.toml.

``case.toml`` is written by hand, so every check names the exact key that is wrong
(``loan.payments[3].date``: the third ``[[loan.payments]]`` block, counting from 1) and says
what to write instead. Amounts may be strings ("1,234.56", "¥99") or numbers; dates are ISO
strings or TOML dates.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from evidence_kit.errors import ConfigError
from evidence_kit.i18n import _


class LenderType(str, Enum):
    BANK = "bank"
    CONSUMER_FINANCE = "consumer-finance"
    MICROLOAN = "microloan"  # 小额贷款公司
    GUARANTOR = "guarantor"  # 融资担保公司
    PLATFORM = "platform"  # the app / platform as seller or service provider
    OTHER = "other"


class PaymentKind(str, Enum):
    INSTALLMENT = "installment"
    PRINCIPAL = "principal"
    INTEREST = "interest"
    FEE = "fee"
    GUARANTEE = "guarantee"
    MEMBERSHIP = "membership"
    PENALTY = "penalty"
    OTHER = "other"


# Chinese words people write in a CSV export or in case.toml instead of the English kind.
_KIND_ALIASES: dict[str, PaymentKind] = {
    "还款": PaymentKind.INSTALLMENT,
    "分期": PaymentKind.INSTALLMENT,
    "月供": PaymentKind.INSTALLMENT,
    "本息": PaymentKind.INSTALLMENT,
    "本金": PaymentKind.PRINCIPAL,
    "利息": PaymentKind.INTEREST,
    "手续费": PaymentKind.FEE,
    "服务费": PaymentKind.FEE,
    "费用": PaymentKind.FEE,
    "担保费": PaymentKind.GUARANTEE,
    "增信费": PaymentKind.GUARANTEE,
    "会员费": PaymentKind.MEMBERSHIP,
    "权益卡": PaymentKind.MEMBERSHIP,
    "罚息": PaymentKind.PENALTY,
    "违约金": PaymentKind.PENALTY,
    "滞纳金": PaymentKind.PENALTY,
    "其他": PaymentKind.OTHER,
}

_KIND_HINT = "use one of: " + ", ".join(k.value for k in PaymentKind)
def _AMOUNT_EXPECTED() -> str:
    return _("{key}: expected an amount, got {value}")


def _AMOUNT_HINT() -> str:
    return _('write it like "1234.56" (yuan)')


def _lender_hint() -> str:
    return _(
        "use one of: bank, consumer-finance (consumer finance company), microloan (microloan "
        "company), guarantor (financing guarantor), platform, other — the lender of record on "
        "the contract"
    )


def field_label(key: str) -> str:
    """A case.toml key as the person reads it: the key itself in English, in Chinese the
    words case.toml's own comments use for it."""
    labels = {
        "loan.received_amount": _("loan.received_amount"),
        "loan.received_date": _("loan.received_date"),
        "loan.lender_type": _("loan.lender_type"),
        "budget.monthly_income": _("budget.monthly_income"),
        "debt.principal": _("debt.principal"),
        "debt.overdue_amount": _("debt.overdue_amount"),
    }
    return labels.get(key, key)


_LENDER_HINT = (
    "use one of: bank, consumer-finance (消费金融公司), microloan (小额贷款公司), "
    "guarantor (融资担保公司), platform, other — the lender of record (放款机构) on the contract"
)


@dataclass(frozen=True)
class Payment:
    date: date
    amount: Decimal
    kind: PaymentKind
    exhibit: str | None = None


@dataclass(frozen=True)
class Loan:
    lender: str
    lender_type: LenderType
    contract_no: str
    contract_amount: Decimal | None
    received_amount: Decimal
    received_date: date
    term_months: int
    stated_rate: Decimal | None
    payments: tuple[Payment, ...]
    contract_date: date | None = None  # defaults to received_date (Civil Code Art. 679)
    lpr_override: Decimal | None = None  # percent, e.g. Decimal("3.45")
    private_lending: bool = False  # a private person / non-financial company lent the money

    @property
    def formation_date(self) -> date:
        return self.contract_date or self.received_date


@dataclass(frozen=True)
class Debt:
    """The bill as the lender states it now (case.toml [debt]); unknown parts are None."""

    as_of: date | None
    overdue_amount: Decimal | None
    overdue_days: int
    principal: Decimal | None
    interest: Decimal | None
    penalty: Decimal | None
    late_fee: Decimal | None
    other_fees: Decimal | None


@dataclass(frozen=True)
class Budget:
    monthly_income: Decimal
    essential_expenses: Decimal
    other_debts: Decimal
    hardship: str = ""


# ---------------------------------------------------------------- scalar parsers


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_AMOUNT_JUNK = re.compile(r"[,，\s¥￥元]|RMB|CNY", re.IGNORECASE)


def parse_amount(value: Any, key: str, *, allow_zero: bool = True) -> Decimal:
    """A non-negative amount in yuan from a TOML string or number."""
    if isinstance(value, bool):
        raise ConfigError(_AMOUNT_EXPECTED().format(key=key, value=repr(value)), _AMOUNT_HINT())
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))  # repr keeps 8833.3 as 8833.3, not its binary expansion
    elif isinstance(value, str):
        try:
            amount = Decimal(_AMOUNT_JUNK.sub("", value))
        except InvalidOperation as e:
            raise ConfigError(
                _("{key}: {value} is not an amount").format(key=key, value=repr(value)),
                _AMOUNT_HINT(),
            ) from e
    else:
        raise ConfigError(_AMOUNT_EXPECTED().format(key=key, value=repr(value)), _AMOUNT_HINT())
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise ConfigError(
            _("{key}: {value} must be a positive amount").format(key=key, value=repr(value)),
            _AMOUNT_HINT(),
        )
    return amount


def parse_date(value: Any, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(text[:10])
        except ValueError as e:
            raise ConfigError(
                _("{key}: {value} is not a date").format(key=key, value=repr(value)),
                _('write it as "2024-06-15" (year-month-day)'),
            ) from e
    raise ConfigError(
        _("{key}: expected a date, got {value}").format(key=key, value=repr(value)),
        _('write it as "2024-06-15" (year-month-day)'),
    )


def parse_int(value: Any, key: str) -> int:
    if isinstance(value, bool):
        raise ConfigError(f"{key}: expected a whole number, got {value!r}", "write e.g. 12")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise ConfigError(f"{key}: expected a whole number, got {value!r}", "write e.g. 12")
    if number < 0:
        raise ConfigError(f"{key}: {value!r} must not be negative", "write e.g. 12")
    return number


def parse_kind(value: Any, key: str) -> PaymentKind:
    text = str(value).strip()
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    try:
        return PaymentKind(text.lower())
    except ValueError as e:
        raise ConfigError(f"{key}: unknown payment kind {value!r}", _KIND_HINT) from e


def parse_lender_type(value: Any, key: str = "loan.lender_type") -> LenderType:
    if _blank(value):
        raise ConfigError(_("{field} is empty").format(field=field_label(key)), _lender_hint())
    try:
        return LenderType(str(value).strip().lower())
    except ValueError as e:
        raise ConfigError(
            _("{key}: unknown lender type {value}").format(key=key, value=repr(value)),
            _lender_hint(),
        ) from e


def _optional_amount(section: Mapping[str, Any], name: str, prefix: str) -> Decimal | None:
    value = section.get(name)
    return None if _blank(value) else parse_amount(value, f"{prefix}.{name}")


def _section(config: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = config.get(name, {})
    if not isinstance(section, Mapping):
        raise ConfigError(f"[{name}] must be a table", f"write it as a [{name}] section")
    return section


# ---------------------------------------------------------------- sections


def parse_payment(raw: Any, key: str) -> Payment:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{key} must be a [[loan.payments]] table", "see case.toml comments")
    for name in ("date", "amount", "kind"):
        if _blank(raw.get(name)):
            raise ConfigError(f"{key}.{name} is missing", "every payment needs date, amount, kind")
    exhibit = raw.get("exhibit")
    return Payment(
        date=parse_date(raw["date"], f"{key}.date"),
        amount=parse_amount(raw["amount"], f"{key}.amount", allow_zero=False),
        kind=parse_kind(raw["kind"], f"{key}.kind"),
        exhibit=None if _blank(exhibit) else str(exhibit).strip(),
    )


def parse_loan(config: Mapping[str, Any]) -> Loan:
    """The [loan] section of a parsed case.toml (the whole config dict is passed)."""
    loan = _section(config, "loan")
    for name in ("received_amount", "received_date"):
        if _blank(loan.get(name)):
            raise ConfigError(
                _("{field} is empty").format(field=field_label(f"loan.{name}")),
                _(
                    "fill in the amount that actually reached your account and its date "
                    "in case.toml"
                ),
            )
    raw_payments = loan.get("payments", [])
    if not isinstance(raw_payments, Sequence) or isinstance(raw_payments, str):
        raise ConfigError("loan.payments must be [[loan.payments]] tables", "see case.toml")
    payments = tuple(
        parse_payment(raw, f"loan.payments[{n}]") for n, raw in enumerate(raw_payments, start=1)
    )
    private = loan.get("private_lending", False)
    if not isinstance(private, bool):
        raise ConfigError("loan.private_lending must be true or false", "write true or false")
    lender_type = parse_lender_type(loan.get("lender_type"))
    if private and lender_type is not LenderType.OTHER:
        raise ConfigError(
            "loan.private_lending = true but loan.lender_type is "
            f"{lender_type.value!r}: a licensed lender is not private lending (民间借贷)",
            'set lender_type = "other" or private_lending = false',
        )
    received_amount = parse_amount(loan["received_amount"], "loan.received_amount")
    if received_amount == 0:
        raise ConfigError("loan.received_amount is 0", "write the amount that reached you")
    return Loan(
        lender=str(loan.get("lender", "")).strip(),
        lender_type=lender_type,
        contract_no=str(loan.get("contract_no", "")).strip(),
        contract_amount=_optional_amount(loan, "contract_amount", "loan"),
        received_amount=received_amount,
        received_date=parse_date(loan["received_date"], "loan.received_date"),
        term_months=0
        if _blank(loan.get("term_months"))
        else parse_int(loan["term_months"], "loan.term_months"),
        stated_rate=_optional_amount(loan, "stated_rate", "loan"),
        payments=tuple(sorted(payments, key=lambda p: p.date)),
        contract_date=None
        if _blank(loan.get("contract_date"))
        else parse_date(loan["contract_date"], "loan.contract_date"),
        lpr_override=_optional_amount(loan, "lpr_override", "loan"),
        private_lending=private,
    )


def parse_debt(config: Mapping[str, Any]) -> Debt:
    debt = _section(config, "debt")
    as_of = debt.get("as_of")
    days = debt.get("overdue_days")
    return Debt(
        as_of=None if _blank(as_of) else parse_date(as_of, "debt.as_of"),
        overdue_amount=_optional_amount(debt, "overdue_amount", "debt"),
        overdue_days=0 if _blank(days) else parse_int(days, "debt.overdue_days"),
        principal=_optional_amount(debt, "principal", "debt"),
        interest=_optional_amount(debt, "interest", "debt"),
        penalty=_optional_amount(debt, "penalty", "debt"),
        late_fee=_optional_amount(debt, "late_fee", "debt"),
        other_fees=_optional_amount(debt, "other_fees", "debt"),
    )


def parse_budget(config: Mapping[str, Any]) -> Budget:
    budget = _section(config, "budget")
    if _blank(budget.get("monthly_income")):
        raise ConfigError(
            _("{field} is empty").format(field=field_label("budget.monthly_income")),
            _("fill in your monthly income in case.toml"),
        )

    def amount(name: str) -> Decimal:
        value = budget.get(name)
        return Decimal(0) if _blank(value) else parse_amount(value, f"budget.{name}")

    return Budget(
        monthly_income=amount("monthly_income"),
        essential_expenses=amount("essential_expenses"),
        other_debts=amount("other_debts"),
        hardship=str(budget.get("hardship", "")).strip(),
    )


# ---------------------------------------------------------------- CSV import / TOML export

_HEADER_ALIASES = {
    "date": "date",
    "日期": "date",
    "还款日期": "date",
    "支付日期": "date",
    "amount": "amount",
    "金额": "amount",
    "还款金额": "amount",
    "kind": "kind",
    "类型": "kind",
    "款项类型": "kind",
    "exhibit": "exhibit",
    "证据": "exhibit",
    "证据编号": "exhibit",
}


def import_payments_csv(text: str) -> list[Payment]:
    """Payments from CSV text with a header row: date,amount,kind[,exhibit] (or 日期,金额,类型)."""
    text = text.lstrip("\ufeff")  # Excel writes a BOM
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ConfigError("the CSV file is empty", "the first line must be: date,amount,kind")
    columns = [_HEADER_ALIASES.get(cell.strip().lower()) for cell in rows[0]]
    missing = [name for name in ("date", "amount", "kind") if name not in columns]
    if missing:
        raise ConfigError(
            f"CSV line 1: missing column(s) {', '.join(missing)}",
            "the first line must be: date,amount,kind[,exhibit] (or 日期,金额,类型)",
        )
    payments = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        raw = {name: cell for name, cell in zip(columns, row) if name}
        payments.append(parse_payment(raw, f"CSV line {line_no}"))
    return payments


def payments_to_toml(payments: Sequence[Payment]) -> str:
    """[[loan.payments]] blocks to append to case.toml (after the [loan] section's keys)."""
    blocks = []
    for p in payments:
        lines = [
            "[[loan.payments]]",
            f'date = "{p.date.isoformat()}"',
            f'amount = "{p.amount}"',
            f'kind = "{p.kind.value}"',
        ]
        if p.exhibit:
            # JSON string escapes are valid TOML basic-string escapes.
            lines.append(f"exhibit = {json.dumps(p.exhibit, ensure_ascii=False)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
