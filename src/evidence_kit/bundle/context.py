"""What the letter's blocks and the analysis views are rendered with.

It sits below both ``letter`` and ``analysis_view`` so that neither has to import the other
for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evidence_kit.bundle.layout import Styles
from evidence_kit.bundle.template import Filler, Template
from evidence_kit.models import Entry


@dataclass(frozen=True)
class LetterContext:
    template: Template
    filler: Filler
    styles: Styles
    mask: Callable[[str], str]
    summary: Sequence[str]  # chronological sentences
    exhibit_names: Sequence[tuple[str, str]]  # (label, name)
    analysis: Mapping[str, Any] | None
    config: Mapping[str, Any]
    label_of_id: Mapping[str, str]  # entry id -> exhibit label
    exhibits: Sequence[tuple[str, Entry]] = ()  # (label, entry) in exhibit order
