"""The one message catalogue for everything the kit says to a person.

Messages are written in the source in English (the gettext msgid) and wrapped in ``_()``;
the Chinese text lives in ``locale/zh_CN/LC_MESSAGES/*.po`` (one file per area). Chinese is the
default. English is chosen by ``set_language("en")`` (the CLI's ``--lang en``), by
``EVIDENCE_KIT_LANG=en``, or by a locale whose messages are English (``LANG=en_US.UTF-8``).
The CLI and the web app both read this module; library code calls ``_()`` where it builds a
message for a person, so the message is in the chosen language wherever it is shown.

The catalogue is read on first use, not at import: from the compiled ``.mo`` when it is as new
as the ``.po`` (wheels ship one), otherwise compiled in memory from the ``.po`` with Babel.
"""

from __future__ import annotations

import gettext
import io
import os
import threading
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "evidence_kit"
LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

_lock = threading.Lock()
_chosen: str | None = None
_loaded: dict[str, gettext.NullTranslations] = {}


def normalize_language(value: str | None) -> str | None:
    """'en', 'en_US.UTF-8', 'zh', 'zh-CN', 'zh_CN.UTF-8' -> a supported language, else None."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").lower()
    if code.startswith("en"):
        return "en"
    if code.startswith("zh"):
        return "zh_CN"
    return None


def _from_environment(environ: Mapping[str, str]) -> str:
    explicit = normalize_language(environ.get("EVIDENCE_KIT_LANG"))
    if explicit:
        return explicit
    # POSIX order of precedence for message catalogues; C/POSIX say nothing about language.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in environ.get(var, "").split(":"):
            lang = normalize_language(part)
            if lang:
                return lang
    return DEFAULT_LANGUAGE


def set_language(language: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Choose the language for this process (None: from ``environ``, by default the process
    environment). Returns it."""
    global _chosen
    env = os.environ if environ is None else environ
    lang = normalize_language(language) if language else _from_environment(env)
    if language and lang is None:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _chosen = lang or DEFAULT_LANGUAGE
    return _chosen


def current_language() -> str:
    return _chosen if _chosen is not None else set_language(None)


def po_path(language: str, area: str = DOMAIN) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{area}.po"


def po_files(language: str) -> list[Path]:
    """Every catalogue file of a language: one per area of the kit (``evidence_kit.po`` for the
    shared messages, ``web.po``, ``bundle.po`` …), so areas can grow without touching each
    other's files. The same msgid in two files: the first by name wins."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


def _load_one(po: Path) -> gettext.GNUTranslations:
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    data = compile_po(po)
    _save_compiled(mo, data)
    return gettext.GNUTranslations(io.BytesIO(data))


def _save_compiled(mo: Path, data: bytes) -> None:
    """Keep the compiled catalogue beside its .po (a checkout has none; a wheel ships them), so
    the next start reads it instead of compiling again. A read-only install just compiles."""
    tmp = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, mo)
    except OSError:
        tmp.unlink(missing_ok=True)


def _load(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    chain: gettext.NullTranslations = gettext.NullTranslations()
    first: gettext.NullTranslations | None = None
    for po in po_files(language):
        t = _load_one(po)
        if first is None:
            first = chain = t
        else:
            chain.add_fallback(t)
    return first or chain


def compile_po(po: Path) -> bytes:
    """The .mo bytes for a .po file (Babel), as the build hook and the loader both need them."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def translations(language: str | None = None) -> gettext.NullTranslations:
    lang = language or current_language()
    with _lock:
        if lang not in _loaded:
            _loaded[lang] = _load(lang)
        return _loaded[lang]


def _(message: str) -> str:
    """The message in the chosen language (the English msgid where no translation exists)."""
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)
