"""Reading a stored original's content: OCR or text layer, chat layout, extraction, dating.

``ContentAnalyzer`` is the analysis hook of the ingest pipeline (``ingest.Analyzer``). OCR runs
in the worker pool through the cache, so the same bytes are never read twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import EvidenceKitError
from evidence_kit.i18n import _
from evidence_kit.intake.dating import parse_offset
from evidence_kit.intake.ingest import AnalysisJob, Progress, internal_error
from evidence_kit.models import Analysis, Extraction, Kind, Message, OcrLine, OcrResult

if TYPE_CHECKING:
    from evidence_kit.ocr import OcrJob

# Words that make a screenshot or PDF a bill/statement rather than a chat or a letter.
_BILL_WORDS = re.compile(
    r"账单|应还|还款日|本期|逾期金额|逾期天数|借款合同|合同编号|剩余应还|最低还款|待还|还款计划|"
    r"已还|分期|本金|罚息|违约金|担保费|对账单|交易明细"
)
# Labels that name the day a bill speaks for.
_BILL_DATE_LABEL = re.compile(r"(账单日|出账日|截至|截止|统计日期|生成日期|制表日期|账单日期)")


# Notes and text layers longer than this are kept whole as originals, but only this much is
# read and indexed: a 50 MB one-line "note" must not cost minutes and gigabytes.
INDEX_LIMIT_CHARS = 1_000_000


def bounded(text: str) -> tuple[str, str | None]:
    """The text to read and index, and a warning when it was cut."""
    if len(text) <= INDEX_LIMIT_CHARS:
        return text, None
    return text[:INDEX_LIMIT_CHARS], _(
        "the text is very long; only its first {n} characters are searchable "
        "(the original is kept whole)"
    ).format(n=f"{INDEX_LIMIT_CHARS:,}")


def _visual(job: AnalysisJob) -> bool:
    return job.mime.startswith("image/") or job.mime == "application/pdf"


def reference_moment(occurred_at: str | None) -> datetime | None:
    """The screenshot's own time as a naive local datetime (for 昨天 / 星期三 / 3月5日)."""
    if not occurred_at:
        return None
    try:
        dt = datetime.fromisoformat(occurred_at)
    except ValueError:
        return None
    return dt.replace(tzinfo=None)


def normalized_lines(lines: Sequence[OcrLine]) -> tuple[OcrLine, ...]:
    from evidence_kit.extract import normalize_ocr_text

    out = []
    for line in lines:
        text = normalize_ocr_text(line.text).strip()
        if text:
            out.append(replace(line, text=text))
    return tuple(out)


def looks_like_bill(text: str) -> bool:
    return len(_BILL_WORDS.findall(text)) >= 3


def is_call_log(lines: Sequence[OcrLine], text: str, reference: datetime | None) -> bool:
    from evidence_kit.analysis.calllog import blocks_of, looks_like_call_log, parse_call_log

    # Detection only needs rows to parse; without a reference any year will do.
    day = reference.date() if reference else date(2000, 1, 1)
    return looks_like_call_log(text, parse_call_log(blocks_of(lines, text), day))


def _with_offset(iso: str, tz: timezone) -> str:
    if "T" not in iso:
        return iso
    dt = datetime.fromisoformat(iso)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.isoformat(timespec="seconds")


def chat_date(messages: Sequence[Message], tz: timezone) -> str | None:
    """A chat happened when its first dated message was sent."""
    for m in messages:
        if m.time and "T" in m.time:
            return _with_offset(m.time, tz)
    return None


def labelled_date(text: str, extraction: Extraction, tz: timezone) -> str | None:
    """The date right after 账单日/截至/… — never just any date a bill mentions."""
    for d in extraction.dates:
        before = text[max(0, d.start - 8) : d.start]
        if _BILL_DATE_LABEL.search(before) and not d.is_deadline:
            return _with_offset(d.value, tz)
    return None


def note_date(text: str, extraction: Extraction, tz: timezone) -> str | None:
    """A note dates itself in its first lines (``时间：2025年3月10日 14:20``)."""
    head_end = sum(len(x) + 1 for x in text.splitlines()[:3])
    # 时间：2025年3月14日 22:15 至 22:21 is a range; the note is dated by its start.
    found = [(d.start, d.value) for d in extraction.dates if not d.is_deadline]
    found += [(r.start, r.first) for r in extraction.ranges if r.currency is None]
    for start, value in sorted(found):
        if start < head_end and len(value) >= 10:
            return _with_offset(value, tz)
    return None


class ContentAnalyzer:
    """OCR + extraction for images and PDFs, extraction for notes; recordings carry no text."""

    def __init__(
        self,
        *,
        cache_dir: Path | None,
        engine_name: str | None = None,
        utc_offset: str = "+08:00",
        workers: int | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.engine_name = engine_name
        self.tz = parse_offset(utc_offset)
        self.workers = workers

    def analyze(
        self, jobs: Sequence[AnalysisJob], progress: Progress | None = None
    ) -> Iterator[tuple[AnalysisJob, Analysis | EvidenceKitError]]:
        from evidence_kit.ocr import OcrJob, ocr_many

        total = len(jobs)
        done = 0
        visual = [j for j in jobs if _visual(j)]
        for job in jobs:
            if _visual(job):
                continue
            done += 1
            if progress:
                progress(done, total, job.original_name)
            yield job, self._isolated(job, self.analyze_text_job, job)
        if not visual:
            return
        ocr_jobs = [
            OcrJob(j.sha256, j.path, "pdf" if j.mime == "application/pdf" else "image")
            for j in visual
        ]
        # One OcrJob per distinct file; map results back to analysis jobs by sha256.
        pending = {j.sha256: [a for a in visual if a.sha256 == j.sha256] for j in ocr_jobs}
        for ocr_job, outcome in ocr_many(
            _unique(ocr_jobs),
            engine_name=self.engine_name,
            cache_dir=self.cache_dir,
            workers=self.workers,
        ):
            for job in pending.pop(ocr_job.sha256, []):
                done += 1
                if progress:
                    progress(done, total, job.original_name)
                if isinstance(outcome, EvidenceKitError):
                    yield job, _renamed(outcome, str(job.path), job.original_name)
                else:
                    yield job, self._isolated(job, self.from_ocr, job, outcome)

    @staticmethod
    def _isolated(
        job: AnalysisJob, read: Callable[..., Analysis | EvidenceKitError], *args: Any
    ) -> Analysis | EvidenceKitError:
        """One file's failure is that file's result; the batch goes on."""
        try:
            return read(*args)
        except EvidenceKitError as e:
            return e
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as e:
            return internal_error(job.original_name, e)

    # ------------------------------------------------------------ per kind

    def analyze_text_job(self, job: AnalysisJob) -> Analysis | EvidenceKitError:
        from evidence_kit.intake.filetypes import decode_note

        if job.kind is not Kind.NOTE:
            return Analysis(text="")  # recordings and unknown documents: nothing to read
        try:
            data = job.path.read_bytes()
        except OSError as e:
            return EvidenceKitError(
                _("{name}: the stored copy of this note cannot be read ({error})").format(
                    name=job.original_name, error=e.strerror or type(e).__name__
                ),
                _("run evidence-kit verify to check the stored originals"),
            )
        decoded = decode_note(data)
        del data
        text = decoded.text.lstrip("\ufeff").replace("\r\n", "\n") if decoded else ""
        return self.from_text(text, job, guessed=decoded is not None and not decoded.confident)

    def from_text(self, text: str, job: AnalysisJob, *, guessed: bool = False) -> Analysis:
        from evidence_kit.extract import extract

        text, cut = bounded(text)
        extraction = extract(text, reference=reference_moment(job.reference))
        warnings = [cut] if cut else []
        content_date = note_date(text, extraction, self.tz)
        if guessed:
            # A wrong guess turns digits into other characters: its date is not evidence.
            content_date = None
            warnings.append(
                _(
                    "its text encoding was guessed, so some characters may be wrong and its "
                    "own date is not used; if it reads wrongly, save it again as UTF-8"
                )
            )
        return Analysis(
            text=text,
            extraction=extraction,
            content_date=content_date,
            engine="text",
            warnings=tuple(warnings),
        )

    def from_ocr(self, job: AnalysisJob, result: OcrResult) -> Analysis:
        from evidence_kit.extract import extract
        from evidence_kit.intake.frame import LayoutView, layout_view
        from evidence_kit.layout import read_layout
        from evidence_kit.layout.reading import LayoutReading, extraction_text
        from evidence_kit.layout.screen import kind_of

        lines = normalized_lines(result.lines)
        text, cut = bounded("\n".join(line.text for line in lines))
        ref = reference_moment(job.reference)
        is_pdf = job.mime == "application/pdf"
        def laid_out(view: LayoutView, chat_only: bool = False) -> LayoutReading:
            seen = normalized_lines(view.lines)
            # The layout stage: a role per line, the screen type, extraction per role.
            found = read_layout(
                seen,
                view.width,
                view.height,
                extraction=extract(extraction_text(seen), reference=ref),
                reference=ref,
                is_call_log=not is_pdf and is_call_log(seen, text, ref),
                is_pdf=is_pdf,
                pixels=view.pixels,
                chat_only=chat_only,
            )
            return replace(
                found,
                extraction=view.extraction_back(found.extraction),
                messages=view.messages_back(found.messages),
            )

        # A photographed chat is laid out where the engine read it (columns straight), its
        # boxes brought back; other photographed screens and pages as on the original, where
        # their readers' label and column rules were set.
        view = layout_view(result, job.path)
        layout = laid_out(view, chat_only=view.matrix is not None)
        if view.matrix is not None and not layout.screen.startswith("chat_"):
            layout = laid_out(layout_view(replace(result, frame=None), job.path))
        extraction = layout.extraction
        messages: tuple[Message, ...] = ()
        kind = kind_of(layout.screen) or Kind.CHAT
        content_date = None
        if is_pdf or job.kind is Kind.DOCUMENT:  # a PDF, or a TIFF's pages
            kind = Kind.BILL if looks_like_bill(text) else Kind.DOCUMENT
            content_date = labelled_date(text, extraction, self.tz)
        elif kind is Kind.CHAT and layout.screen != "call_log":
            messages = layout.messages
            content_date = chat_date(messages, self.tz)
        elif kind is Kind.BILL:
            content_date = labelled_date(text, extraction, self.tz)
        warnings: tuple[str, ...] = (cut,) if cut else ()
        if not text.strip():
            warnings = (_("no text was found in this file"),)
        return Analysis(
            text=text,
            lines=lines,
            messages=messages,
            extraction=extraction,
            content_date=content_date,
            kind_hint=kind,
            engine=result.engine,
            warnings=warnings,
            screen=None if is_pdf else layout.screen,
        )


def _renamed(error: EvidenceKitError, stored: str, name: str) -> EvidenceKitError:
    """An OCR error names the stored copy; the user knows the file by its own name."""
    if stored not in error.message and stored not in (error.hint or ""):
        return error
    out = EvidenceKitError(
        error.message.replace(stored, name), (error.hint or "").replace(stored, name) or None
    )
    return out


def _unique(jobs: Sequence[OcrJob]) -> list[OcrJob]:
    seen: set[str] = set()
    out = []
    for j in jobs:
        if j.sha256 not in seen:
            seen.add(j.sha256)
            out.append(j)
    return out


def read_any(
    path: Path,
    *,
    reference: datetime | None = None,
    engine_name: str | None = None,
    cache_dir: Path | None = None,
    utc_offset: str = "+08:00",
) -> tuple[Analysis, Kind]:
    """What the kit sees in one file outside the ledger (``evidence-kit extract FILE``)."""
    from evidence_kit.intake.filetypes import inspect_file
    from evidence_kit.ledger.store import sha256_file
    from evidence_kit.ocr import ocr_file

    facts = inspect_file(path, path.name)
    job = AnalysisJob(
        entry_id="",
        sha256=sha256_file(path),
        kind=facts.kind,
        mime=facts.mime,
        path=path,
        original_name=path.name,
        reference=reference.isoformat() if reference else None,
    )
    analyzer = ContentAnalyzer(cache_dir=cache_dir, engine_name=engine_name, utc_offset=utc_offset)
    if facts.kind is Kind.NOTE:
        return analyzer.from_text(facts.text or "", job), Kind.NOTE
    if facts.mime.startswith("image/") or facts.mime == "application/pdf":
        kind = "pdf" if facts.mime == "application/pdf" else "image"
        result = ocr_file(path, job.sha256, engine_name=engine_name, cache_dir=cache_dir, kind=kind)
        analysis = analyzer.from_ocr(job, result)
        return analysis, analysis.kind_hint or facts.kind
    raise EvidenceKitError(
        f"{path.name} is a {facts.kind.value} ({facts.mime}); there is no text in it to extract",
        "give a text file, an image or a PDF",
    )
