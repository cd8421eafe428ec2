"""The case folder: finding it (like git finds a repo), creating it, reading case.toml."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from evidence_kit.errors import CaseNotFoundError, ConfigError
from evidence_kit.i18n import _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

META_DIR = ".evidence-kit"
CONFIG_NAME = "case.toml"
# Packages the kit writes go here; ingest and watch never look inside.
OUTPUT_DIR = "evidence-kit-output"
ENV_VAR = "EVIDENCE_KIT_CASE"
DEFAULT_UTC_OFFSET = "+08:00"  # China Standard Time; phone file names and EXIF carry no zone


@dataclass(frozen=True)
class Case:
    root: Path

    @property
    def meta_dir(self) -> Path:
        return self.root / META_DIR

    @property
    def objects_dir(self) -> Path:
        return self.meta_dir / "objects"

    @property
    def cache_dir(self) -> Path:
        return self.meta_dir / "cache"

    @property
    def ledger_path(self) -> Path:
        return self.meta_dir / "ledger.sqlite"

    @property
    def head_path(self) -> Path:
        return self.meta_dir / "HEAD"

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def load_config(self) -> dict[str, Any]:
        return load_config(self.config_path)

    def utc_offset(self) -> str:
        """The offset naive times in this case are read in (``[case] utc_offset``)."""
        try:
            cfg = self.load_config()
        except ConfigError:
            return DEFAULT_UTC_OFFSET
        value = cfg.get("case", {}).get("utc_offset", DEFAULT_UTC_OFFSET)
        return value if isinstance(value, str) else DEFAULT_UTC_OFFSET


def is_case(path: Path) -> bool:
    return (path / META_DIR).is_dir()


def find_case(
    explicit: str | os.PathLike[str] | None = None,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Case:
    """``--case`` first, then ``$EVIDENCE_KIT_CASE``, then the current folder and its parents."""
    env = os.environ if env is None else env
    given = explicit if explicit is not None else env.get(ENV_VAR) or None
    if given is not None:
        path = Path(given).expanduser().resolve()
        if not path.is_dir():
            raise CaseNotFoundError(
                _("{path} is not a folder").format(path=path),
                _("pass --case with the folder you ran `evidence-kit init` in"),
            )
        if not is_case(path):
            raise CaseNotFoundError(
                _("{path} is not an evidence-kit case (it has no {meta}/ folder)").format(
                    path=path, meta=META_DIR
                ),
                _("run `evidence-kit init {path}` to make it one").format(path=path),
            )
        return Case(path)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_case(folder):
            return Case(folder)
    raise CaseNotFoundError(
        _("no evidence-kit case in {start} or any folder above it").format(start=start),
        _("run `evidence-kit init` in your evidence folder, or pass --case DIR"),
    )


def case_template() -> str:
    return resources.files("evidence_kit").joinpath("data/case.toml").read_text("utf-8")


def init_case(folder: Path) -> tuple[Case, bool]:
    """Create the case layout (idempotent). Returns the case and whether it was new."""
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise CaseNotFoundError(
            _("{folder} exists and is not a folder").format(folder=folder),
            _("choose another path"),
        )
    created = not is_case(folder)
    for sub in ("objects", "cache", "tmp"):
        (folder / META_DIR / sub).mkdir(parents=True, exist_ok=True)
    config = folder / CONFIG_NAME
    if not config.exists():
        config.write_text(case_template(), encoding="utf-8")
    # Keep the kit's own files out of cloud-sync and backup tools that honour this marker.
    ignore = folder / META_DIR / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    return Case(folder), created


def load_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(
            _("{path} does not exist").format(path=path),
            _("run `evidence-kit init` to create it, then fill it in"),
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(
            _("{path} is not UTF-8 text").format(path=path),
            _("save it as UTF-8 in your editor (Notepad: Save As, encoding UTF-8)"),
        ) from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(
            _("{path} has a syntax error: {error}").format(path=path, error=e),
            _('check quotes and brackets on that line; text values need "double quotes"'),
        ) from e
    return data


def config_value(config: Mapping[str, Any], dotted: str) -> Any:
    """``config_value(cfg, "complainant.name")``; None when any part is missing."""
    node: Any = config
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def set_config_values(path: Path, values: Mapping[str, str]) -> list[str]:
    """Write ``{"complainant.name": "…"}`` into case.toml, keeping the user's comments, order
    and layout (tomlkit). Empty values are skipped; returns the keys written.

    The file is replaced atomically, so a reader never sees half of it.
    """
    import os
    import tempfile

    import tomlkit

    raw = path.read_bytes().decode("utf-8-sig") if path.exists() else ""
    try:
        doc = tomlkit.parse(raw)
    except tomlkit.exceptions.ParseError as e:
        raise ConfigError(
            f"{path} has a syntax error: {e}",
            'check quotes and brackets on that line; text values need "double quotes"',
        ) from e
    written = []
    for dotted, value in values.items():
        value = value.strip()
        parts = dotted.split(".")
        if not value or not all(p.isidentifier() for p in parts):
            continue
        node: Any = doc
        for part in parts[:-1]:
            if part not in node:
                node[part] = tomlkit.table()
            node = node[part]
            if not isinstance(node, Mapping):
                raise ConfigError(f"{path}: {dotted} is not a table", "fix it in a text editor")
        node[parts[-1]] = value
        written.append(dotted)
    if written:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".case.toml.")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(tomlkit.dumps(doc))
        os.replace(tmp, path)
    return written
