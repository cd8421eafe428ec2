"""One error tree. Every error a user can see says what is wrong and what to do next.

The CLI maps ``exit_code`` to the process status in one place (``cli.main``); library code
only raises.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    VERIFICATION_FAILED = 3
    INTERRUPTED = 130


class EvidenceKitError(Exception):
    """Base class. ``message`` is for the user; ``hint`` is the next step."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(EvidenceKitError):
    """A value given on the command line cannot be understood."""

    exit_code = ExitCode.USAGE


class CaseNotFoundError(EvidenceKitError):
    """No case folder here or above."""


class ConfigError(EvidenceKitError):
    """case.toml is missing a value, or holds one that makes no sense."""


class InputFileError(EvidenceKitError):
    """One evidence file cannot be taken in (empty, truncated, encrypted, unreadable…)."""

    def __init__(self, path: str, message: str, hint: str | None = None) -> None:
        super().__init__(f"{path}: {message}", hint)
        self.path = path


class MissingDependencyError(EvidenceKitError):
    """A program or package the kit needs is not installed."""


class OcrError(EvidenceKitError):
    """The OCR engine failed on an image."""


class LedgerError(EvidenceKitError):
    """The ledger database cannot be opened or written."""


class EntryNotFoundError(EvidenceKitError):
    """No ledger entry with that id."""


class StoreError(EvidenceKitError):
    """A stored original is missing or cannot be written."""


class BundleError(EvidenceKitError):
    """The complaint package cannot be built."""


class VerificationError(EvidenceKitError):
    """The ledger, a stored original or a package failed verification."""

    exit_code = ExitCode.VERIFICATION_FAILED


class AnalysisError(EvidenceKitError):
    """A cost or conduct calculation has no answer for the data given."""
