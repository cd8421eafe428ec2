"""Files that are never evidence: the kit's own folder, editors' and sync tools' temp files."""

from __future__ import annotations

from pathlib import PurePath

from evidence_kit.case import CONFIG_NAME, META_DIR, OUTPUT_DIR

_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", ".localized", "icon\r"}
_JUNK_PREFIXES = ("~$", ".~lock.", "._", ".syncthing.", ".#", ".goutputstream-")
_JUNK_SUFFIXES = (
    ".tmp",
    ".temp",
    ".part",
    ".partial",
    ".crdownload",
    ".download",
    ".swp",
    ".swo",
    ".swx",
    "~",
    ".bak~",
    ".!qb",
    ".!ut",
    ".icloud",
    ".sb-",
    ".baiduyun.downloading",
    ".downloading",
    ".td",
    ".xltd",
)
_JUNK_DIRS = {
    META_DIR,
    ".git",
    ".stfolder",
    ".stversions",
    ".trash",
    ".trashes",
    "__pycache__",
    ".sync",
    ".dropbox.cache",
    "$recycle.bin",
}


def is_ignored(rel: PurePath) -> bool:
    """True for paths (relative to the case folder) the kit must not ingest."""
    parts = rel.parts
    if not parts:
        return True
    if any(p.lower() in _JUNK_DIRS for p in parts[:-1]):
        return True
    if len(parts) > 1 and parts[0] == OUTPUT_DIR:
        return True  # the kit's own packages
    name = parts[-1]
    low = name.lower()
    if len(parts) == 1 and name == CONFIG_NAME:
        return True
    if low in _JUNK_NAMES or low.startswith(_JUNK_PREFIXES):
        return True
    if low.endswith(_JUNK_SUFFIXES):
        return True
    return low.startswith(".") and low.endswith((".tmp", ".part"))
