"""Complaint-package templates: TOML data in ``templates/<recipient>.toml``.

A template holds the wording (with ``{dotted.key}`` placeholders filled from case.toml and
computed values), the keys a recipient requires (with Chinese labels), the evidence-list
columns and the letter's blocks. Users copy one, edit the wording, and pass ``template_dir``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.bundle.resources import template_path
from evidence_kit.case import config_value
from evidence_kit.errors import BundleError
from evidence_kit.i18n import _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RECIPIENTS = ("consumer-association", "regulator", "credit-dispute", "court", "negotiation")

# Letter block types the layout knows how to draw.
BLOCK_TYPES = frozenset(
    {
        "fields",  # rows of [label, text]
        "paragraphs",  # text = [...]
        "facts",  # the user's own text + a generated chronological summary
        "demands",  # numbered list from a case.toml list key
        "list",  # numbered list of template lines
        "attachments",  # the exhibit names
        "checkboxes",  # rows of [label, bool key]
        "legal_basis",  # legend = "...", items = [{status, text}, ...]
        "tracking",  # the intake/tracking box
        "signature",
        "excerpt",  # plain-text field-sized excerpt for web forms
        "plan",  # analysis.plan (repayment plan), skipped when no analysis is given
        "cost",  # analysis.cost, skipped when no analysis is given
        "conduct",  # analysis.conduct, skipped when no analysis is given
    }
)

# How firmly a cited rule holds for this respondent; each template words them in [status_labels].
# binding: law in force, text verified, binds the respondent; argument: supports the demand, whether
# it binds is for the recipient; reference: a benchmark, secondary-source or unverified item.
BASIS_STATUSES = ("binding", "argument", "reference")

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")


@dataclass(frozen=True)
class MissingField:
    key: str
    label_zh: str


@dataclass(frozen=True)
class Template:
    recipient: str
    path: Path
    data: Mapping[str, Any]
    required: tuple[MissingField, ...]
    letter: tuple[Mapping[str, Any], ...]

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return default
            node = node[part]
        return node

    def text(self, dotted: str, default: str = "") -> str:
        value = self.get(dotted, default)
        return value if isinstance(value, str) else default

    def label_for(self, key: str) -> str:
        for req in self.required:
            if req.key == key:
                return req.label_zh
        return key


def load_template(recipient: str, template_dir: Path | None = None) -> Template:
    if recipient not in RECIPIENTS and template_dir is None:
        raise BundleError(
            _("unknown recipient {recipient}").format(recipient=repr(recipient)),
            hint=_("use one of: {choices}").format(choices=", ".join(RECIPIENTS)),
        )
    path = template_path(recipient, template_dir)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise BundleError(
            _("template not found: {path}").format(path=path),
            hint=_("copy one of the shipped templates/ files there, or drop --template-dir"),
        ) from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise BundleError(f"{path}: not valid TOML: {e}", hint="fix the template file") from e
    required = []
    for i, item in enumerate(data.get("required", [])):
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
            raise BundleError(f'{path}: [[required]] #{i + 1} needs key = "section.name"')
        required.append(MissingField(item["key"], str(item.get("label", item["key"]))))
    letter = tuple(data.get("letter", []))
    for i, block in enumerate(letter):
        kind = block.get("type") if isinstance(block, Mapping) else None
        if kind not in BLOCK_TYPES:
            raise BundleError(
                f"{path}: [[letter]] #{i + 1} has unknown type {kind!r}",
                hint="known types: " + ", ".join(sorted(BLOCK_TYPES)),
            )
        if kind == "legal_basis":
            _check_basis(path, i, block, data.get("status_labels"))
        if kind == "tracking":
            _check_tracking(path, i, block, data.get("status_labels"))
    if not isinstance(data.get("title"), str):
        raise BundleError(f'{path}: the template needs a title = "..." line')
    return Template(recipient, path, data, tuple(required), letter)


def _check_basis(path: Path, i: int, block: Mapping[str, Any], labels: Any) -> None:
    """Every cited rule carries its status, so no package states a rule more firmly than its
    source allows."""
    hint = (
        'write each item as { status = "binding" | "argument" | "reference", text = "..." } '
        "and give the words in [status_labels]"
    )
    for n, item in enumerate(block.get("items", []), 1):
        ok = isinstance(item, Mapping) and isinstance(item.get("text"), str)
        status = item.get("status") if isinstance(item, Mapping) else None
        if not ok or status not in BASIS_STATUSES:
            raise BundleError(
                f"{path}: [[letter]] #{i + 1} item {n} needs a text and a status", hint=hint
            )
        if not isinstance(labels, Mapping) or not isinstance(labels.get(status), str):
            raise BundleError(f'{path}: [status_labels] has no {status} = "..."', hint=hint)


def _check_tracking(path: Path, i: int, block: Mapping[str, Any], labels: Any) -> None:
    """A tracking row that cites a rule gives its status third; it must be a known one."""
    for n, row in enumerate(block.get("rows", []), 1):
        if isinstance(row, list) and len(row) > 2:
            status = row[2]
            if (
                status not in BASIS_STATUSES
                or not isinstance(labels, Mapping)
                or status not in labels
            ):
                raise BundleError(
                    f"{path}: [[letter]] #{i + 1} row {n}: status {status!r} is not one of "
                    + ", ".join(BASIS_STATUSES),
                    hint="give the words for it in [status_labels]",
                )


# ---------------------------------------------------------------- values


# One way to read a dotted case.toml key, shared with the rest of the kit.
lookup = config_value


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value or all(is_blank(v) for v in value)
    if isinstance(value, (int, float)):
        return value == 0
    return False


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "；".join(to_text(v) for v in value if not is_blank(v))
    return str(value).strip()


def missing_fields(
    recipient: str, config: Mapping[str, Any], template_dir: Path | None = None
) -> list[MissingField]:
    """The required keys this recipient's template lists that case.toml leaves empty."""
    template = load_template(recipient, template_dir)
    return [req for req in template.required if is_blank(lookup(config, req.key))]


@dataclass
class Filler:
    """Fills ``{placeholders}``: computed values first, then dotted case.toml keys.

    A blank required value becomes a visible gap marker (only reachable with --draft)."""

    config: Mapping[str, Any]
    computed: Mapping[str, Any]
    template: Template
    gap_keys: frozenset[str] = field(default_factory=frozenset)

    def value(self, key: str) -> str:
        if key in self.computed:
            return to_text(self.computed[key])
        return to_text(lookup(self.config, key))

    def fill(self, text: str) -> str:
        def sub(m: re.Match[str]) -> str:
            key = m.group(1)
            val = self.value(key)
            if not val and key in self.gap_keys:
                return f"【待填写：{self.template.label_for(key)}（case.toml: {key}）】"
            return val

        return _PLACEHOLDER.sub(sub, text)


def placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)
