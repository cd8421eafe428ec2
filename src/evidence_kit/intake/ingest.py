"""The ingest pipeline: file → store (sha256, copy) → ledger event → analysis (OCR/extract).

``Ingester.run`` is the one entry point, used by ``evidence-kit ingest``, the watcher and the
demo alike. Each file is one ledger transaction, so a kill at any moment leaves either nothing or
a complete record for that file, and a re-run picks up where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from evidence_kit.case import Case
from evidence_kit.errors import EvidenceKitError, InputFileError
from evidence_kit.i18n import _
from evidence_kit.intake.dating import decide_occurred_at, parse_offset
from evidence_kit.intake.filetypes import check_name, inspect_file
from evidence_kit.intake.junk import is_ignored
from evidence_kit.ledger.events import EventType, Ledger, NewEvent, entry_id_for
from evidence_kit.ledger.store import Store
from evidence_kit.models import Analysis, Entry, Kind

Clock = Callable[[], datetime]
Progress = Callable[[int, int, str], None]


class IngestStatus(str, Enum):
    INGESTED = "ingested"
    DUPLICATE = "duplicate"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: IngestStatus
    id: str | None = None
    error: str | None = None
    kind: str | None = None
    occurred_at: str | None = None
    amounts: tuple[str, ...] = ()
    warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "status": self.status.value,
            "id": self.id,
            "error": self.error,
        }
        if self.kind:
            out["kind"] = self.kind
            out["occurred_at"] = self.occurred_at
            out["amounts"] = list(self.amounts)
        if self.warning:
            out["warning"] = self.warning
        return out


@dataclass(frozen=True)
class AnalysisJob:
    entry_id: str
    sha256: str
    kind: Kind
    mime: str
    path: Path  # the stored original (read-only)
    original_name: str
    reference: str | None  # occurred_at before content dating, for 昨天/星期三
    meta: dict[str, Any] = field(default_factory=dict)


class Analyzer(Protocol):
    """Reads a stored original's content (OCR, text layer, note text) and extracts from it."""

    def analyze(
        self, jobs: Sequence[AnalysisJob], progress: Progress | None = None
    ) -> Iterator[tuple[AnalysisJob, Analysis | EvidenceKitError]]: ...


def utc_now() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc)


class Ingester:
    def __init__(
        self,
        case: Case,
        ledger: Ledger,
        *,
        clock: Clock = utc_now,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.case = case
        self.ledger = ledger
        self.store = Store(case.objects_dir)
        self.clock = clock
        self.analyzer = analyzer
        self.tz = parse_offset(case.utc_offset())
        self.refusals = RefusalMemo(case.cache_dir / REFUSALS_NAME)
        # Per entry read again: the checked values its new reading no longer finds.
        self.lost_decisions: dict[str, tuple[str, ...]] = {}
        from evidence_kit.ocr.pool import rotate_log

        rotate_log(case.cache_dir / INTAKE_LOG)

    # ------------------------------------------------------------ discovery

    def discover(self, paths: Sequence[Path] | None) -> Iterator[Path | IngestResult]:
        """Files to look at, in a stable order; problems found while walking come as results."""
        roots = [self.case.root] if not paths else [Path(p) for p in paths]
        for root in roots:
            root = root if root.is_absolute() else Path.cwd() / root
            if root.is_symlink() or not root.is_dir():
                if not os.path.lexists(root):
                    yield self._fail(readable_name(str(root)), "does not exist", "check the path")
                elif self._is_junk(root):
                    continue
                else:
                    yield root
                continue
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                here = Path(dirpath)
                dirnames[:] = sorted(d for d in dirnames if not self._is_junk(here / d / "x"))
                for name in sorted(filenames):
                    path = here / name
                    if not self._is_junk(path):
                        yield path
                # Symlinked folders are not walked: they could leave the case or loop.
                for d in list(dirnames):
                    if (here / d).is_symlink():
                        dirnames.remove(d)

    def _is_junk(self, path: Path) -> bool:
        try:
            rel = (
                path.resolve(strict=False).relative_to(self.case.root)
                if not path.is_symlink()
                else path.absolute().relative_to(self.case.root)
            )
        except (ValueError, RuntimeError, OSError):
            return False  # outside the case: only junk by its own name
        return is_ignored(rel)

    def display(self, path: Path) -> str:
        try:
            shown = str(path.absolute().relative_to(self.case.root))
        except ValueError:
            shown = str(path)
        return readable_name(shown)

    def _fail(self, path: str, message: str, hint: str | None = None) -> IngestResult:
        text = f"{message} ({hint})" if hint else message
        return IngestResult(path, IngestStatus.FAILED, error=text)

    # ------------------------------------------------------------ the run

    def run(
        self,
        paths: Sequence[Path] | None = None,
        *,
        progress: Progress | None = None,
        analysis_progress: Progress | None = None,
    ) -> Iterator[IngestResult]:
        """Ingest files (default: the whole case folder). Yields one result per file.

        Newly ingested files are reported after their analysis, so the result can say what was
        found; everything else is reported at once.
        """
        candidates = list(self.discover(paths))
        total = len(candidates)
        fresh: list[IngestResult] = []
        for i, item in enumerate(candidates, 1):
            if isinstance(item, IngestResult):
                yield item
            else:
                result = self.ingest_file(item)
                if result.status is IngestStatus.INGESTED and self.analyzer is not None:
                    fresh.append(result)
                else:
                    yield result
            if progress:
                progress(
                    i, total, item.path if isinstance(item, IngestResult) else self.display(item)
                )
        self.refusals.save()
        if self.analyzer is None:
            yield from fresh
            return
        found = self.analyze_pending(progress=analysis_progress)
        for r in fresh:
            extra = found.get(r.id or "")
            if extra is None:
                yield r
                continue
            yield IngestResult(
                r.path,
                r.status,
                r.id,
                None,
                extra.kind.value,
                extra.occurred_at,
                tuple(str(a.value) for a in extra.extraction.amounts),
                warning=_warnings(
                    extra.meta.get("intake_warning"), extra.meta.get("analysis_warning")
                ),
            )

    def ingest_file(self, path: Path) -> IngestResult:
        shown = self.display(path)
        try:
            return self._ingest_file(path, shown)
        except InputFileError as e:
            return IngestResult(shown, IngestStatus.FAILED, error=_plain(e, shown))
        except EvidenceKitError as e:
            return IngestResult(shown, IngestStatus.FAILED, error=str(e))
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as e:  # a bug or a library failure: this file fails, the batch goes on
            return IngestResult(shown, IngestStatus.FAILED, error=str(internal_error(shown, e)))

    def _ingest_file(self, path: Path, shown: str) -> IngestResult:
        try:
            st = os.stat(path)  # follows links; a loop raises ELOOP
        except OSError as e:
            if e.errno == 40:
                raise InputFileError(
                    shown,
                    "is a symbolic link that loops back on itself",
                    "delete the link and copy the real file in",
                ) from e
            if os.path.islink(path):
                raise InputFileError(
                    shown, "is a broken symbolic link", "copy the real file into the folder instead"
                ) from e
            raise InputFileError(shown, f"cannot be opened ({e.strerror})") from e
        import stat as stat_mod

        if not stat_mod.S_ISREG(st.st_mode):
            raise InputFileError(
                shown,
                "is not a regular file (a pipe, socket or device)",
                "only files can be evidence",
            )
        if path.is_symlink():
            target = path.resolve()
            try:
                target.relative_to(self.case.root)
            except ValueError:
                if not self._explicit_outside(path):
                    raise InputFileError(
                        shown,
                        f"is a link to {target}, outside the case folder",
                        "copy the file itself into the case folder",
                    ) from None
        seen = self.ledger.sighting(shown)
        if seen and seen.size == st.st_size and seen.mtime_ns == st.st_mtime_ns:
            return IngestResult(shown, IngestStatus.UNCHANGED, id=entry_id_for(seen.sha256))
        if (refused := self.refusals.get(shown, st.st_size, st.st_mtime_ns)) is not None:
            return IngestResult(shown, IngestStatus.FAILED, error=refused)
        if st.st_size == 0:
            raise InputFileError(
                shown,
                "is empty (0 bytes)",
                "copy it again; if it is still being copied, wait and re-run",
            )
        stored = self.store.put_file(path, shown)
        entry_id = entry_id_for(stored.sha256)
        base: dict[str, Any] = {
            "sha256": stored.sha256,
            "path": shown,
            "size": stored.size,
            "mtime_ns": st.st_mtime_ns,
        }
        raw = os.fsencode(str(path))
        if raw_name_differs(raw):
            base["path_bytes"] = raw.hex()  # the name exactly as the file system gave it
        name = readable_name(path.name)
        try:
            # Name against content, for a duplicate too: the answer depends on bytes and name.
            check_name(stored.path, shown)
        except InputFileError as e:
            if stored.new and not self.ledger.has_entry(entry_id):
                self.store.discard(stored.sha256)
            self.refusals.remember(st, shown, _plain(e, shown))
            raise
        at = self.clock().isoformat(timespec="seconds")
        if not self.ledger.has_entry(entry_id):
            try:
                facts = inspect_file(stored.path, shown, self.case.cache_dir / INTAKE_LOG)
            except InputFileError as e:
                if stored.new and not self.ledger.has_entry(entry_id):
                    self.store.discard(stored.sha256)
                # Refused for what its bytes are: the same bytes get the same answer.
                self.refusals.remember(st, shown, _plain(e, shown))
                raise
            dated = decide_occurred_at(
                name=name,
                tz=self.tz,
                exif=facts.exif_datetime,
                pdf=facts.pdf_datetime,
                mtime_ns=st.st_mtime_ns,
            )
            payload = {
                **base,
                "kind": facts.kind.value,
                "mime": facts.mime,
                "original_name": name,
                "occurred_at": dated.value if dated else None,
                "occurred_at_source": dated.source if dated else "unknown",
                "meta": facts.meta,
            }
            ingest_event = NewEvent(EventType.INGESTED, entry_id, payload)
        else:
            ingest_event = None
        # Decide duplicate-or-new inside the write lock: a watcher may be ingesting the same bytes.
        with self.ledger.transaction():
            if self.ledger.has_entry(entry_id) or ingest_event is None:
                self.ledger.append_locked(
                    [NewEvent(EventType.SIGHTED, entry_id, {**base, "name": name})], at
                )
                status = IngestStatus.DUPLICATE
            else:
                self.ledger.append_locked([ingest_event], at)
                status = IngestStatus.INGESTED
        self.ledger.write_head()
        warning = None
        if ingest_event is not None and status is IngestStatus.INGESTED:
            warning = ingest_event.payload["meta"].get("intake_warning")
        return IngestResult(shown, status, id=entry_id, warning=warning)

    def _explicit_outside(self, path: Path) -> bool:
        """A link the user named on the command line may point anywhere; in a walk it may not."""
        try:
            path.absolute().relative_to(self.case.root)
        except ValueError:
            return True
        return False

    # ------------------------------------------------------------ analysis

    def analyze_pending(self, progress: Progress | None = None) -> dict[str, Entry]:
        """Analyse every entry not analysed yet (this run's and any a crash left behind)."""
        return self.analyze_entries(self.ledger.pending_analysis(), progress)

    def analyze_entries(
        self, pending: Sequence[Entry], progress: Progress | None = None
    ) -> dict[str, Entry]:
        """(Re-)read entries; each result is a new ``analyzed`` event (the latest one counts).
        OCR comes from the cache, so re-reading after an upgrade of the extraction is cheap."""
        if self.analyzer is None or not pending:
            return {}
        jobs = [
            AnalysisJob(
                e.id,
                e.sha256,
                e.kind,
                e.mime,
                self.store.path_for(e.sha256),
                e.original_name,
                e.occurred_at,
                dict(e.meta),
            )
            for e in pending
        ]
        done: dict[str, Entry] = {}
        before = {e.id: e for e in pending}

        def record(job: AnalysisJob, outcome: Analysis | EvidenceKitError) -> None:
            at = self.clock().isoformat(timespec="seconds")
            payload = analysis_payload(outcome)
            events = [NewEvent(EventType.ANALYZED, job.entry_id, payload)]
            entry = before[job.entry_id]
            if entry.meta.get("reviewed"):
                if isinstance(outcome, EvidenceKitError):
                    # A failed re-reading is not recorded over a person's checked values: the
                    # entry keeps the reading they were checked on.
                    return
                events += self._carry(entry, payload)
            # One transaction: no moment where the new reading stands without the corrections.
            self.ledger.append(events, at)
            done[job.entry_id] = self.ledger.get_entry(job.entry_id)

        try:
            for job, outcome in self.analyzer.analyze(jobs, progress):
                record(job, outcome)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as e:  # the analyzer itself broke: the rest fail, nothing stops
            for job in jobs:
                if job.entry_id not in done:
                    record(job, internal_error(job.original_name, e))
        return done

    def _carry(self, entry: Entry, payload: dict[str, Any]) -> list[NewEvent]:
        """The new reading starts with no value checked (``reviewed`` emptied in its event);
        the person's corrections and checks are then re-applied by an ``annotated`` event."""
        from evidence_kit.intake.corrections import carried_decisions

        payload.setdefault("meta", {})["reviewed"] = {}
        carried = carried_decisions(entry, payload.get("extraction") or {})
        if carried.lost:
            self.lost_decisions[entry.id] = carried.lost
        if carried.payload is None:
            return []
        return [NewEvent(EventType.ANNOTATED, entry.id, {**carried.payload, "carried": True})]


def analysis_payload(outcome: Analysis | EvidenceKitError) -> dict[str, Any]:
    if isinstance(outcome, EvidenceKitError):
        # Recorded so it is not retried forever; the original is safe and can be re-analysed.
        return {"text": "", "error": str(outcome), "meta": {"analysis_warning": str(outcome)}}
    payload: dict[str, Any] = {
        "text": outcome.text,
        "lines": [line.to_json() for line in outcome.lines],
        "messages": [m.to_json() for m in outcome.messages],
        "extraction": outcome.extraction.to_json(),
        "engine": outcome.engine,
    }
    if outcome.content_date:
        payload["content_date"] = outcome.content_date
    if outcome.kind_hint:
        payload["kind"] = outcome.kind_hint.value
    if outcome.warnings:
        payload["meta"] = {"analysis_warning": "; ".join(outcome.warnings)}
    if outcome.screen:
        payload.setdefault("meta", {})["screen"] = outcome.screen
    return payload


REFUSALS_NAME = "refused.json"
INTAKE_LOG = "intake.log"  # what C libraries print while a file is decoded


class RefusalMemo:
    """Files refused before, by name, size and mtime: a re-run gives the same answer without
    reading them again. A cache (rebuildable); a new kit version reads every file afresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: dict[str, list[Any]] | None = None
        self.dirty = False

    def _load(self) -> dict[str, list[Any]]:
        if self.items is None:
            import json

            from evidence_kit import __version__

            try:
                data = json.loads(self.path.read_text("utf-8"))
                ok = isinstance(data, dict) and data.get("version") == __version__
                self.items = dict(data["files"]) if ok else {}
            except (OSError, ValueError, KeyError, TypeError):
                self.items = {}
        return self.items

    def get(self, shown: str, size: int, mtime_ns: int) -> str | None:
        item = self._load().get(shown)
        if item and item[0] == size and item[1] == mtime_ns:
            return str(item[2])
        return None

    def remember(self, st: os.stat_result, shown: str, error: str) -> None:
        self._load()[shown] = [st.st_size, st.st_mtime_ns, error]
        self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.items is None:
            return
        import json
        import tempfile

        from evidence_kit import __version__

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".refused.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"version": __version__, "files": self.items}, f, ensure_ascii=False)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            pass  # only a cache: the next run reads those files again


def _warnings(*parts: str | None) -> str | None:
    return "; ".join(p for p in parts if p) or None


def internal_error(name: str, e: BaseException) -> EvidenceKitError:
    """One line for a failure the kit did not foresee: named, plain, and asking for a report."""
    return EvidenceKitError(
        _("{name}: internal error ({error}), please report it").format(
            name=name, error=type(e).__name__
        ),
        _(
            "the other files are not affected; run again with --debug and send the output "
            "to the evidence-kit developers"
        ),
    )


def raw_name_differs(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def readable_name(name: str) -> str:
    """A name the file system gave as bytes that are not UTF-8 (``unzip`` of a Chinese Windows
    zip gives GBK), shown readably: GB18030 if it decodes as that, else escaped bytes."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def _plain(e: InputFileError, shown: str) -> str:
    msg = e.message
    if msg.startswith(f"{shown}: "):
        msg = msg[len(shown) + 2 :]
    return f"{msg} ({e.hint})" if e.hint else msg


def status_word(status: IngestStatus) -> str:
    """An ingest status as a person reads it (the JSON keeps the contract's English words)."""
    words = {
        IngestStatus.INGESTED: _("ingested"),
        IngestStatus.DUPLICATE: _("duplicate"),
        IngestStatus.UNCHANGED: _("unchanged"),
        IngestStatus.FAILED: _("failed"),
    }
    return words.get(status, status.value)
