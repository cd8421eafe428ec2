"""``--help`` in the chosen language, translated when it is shown.

Help texts are written in English in the source (the gettext msgid: docstrings, ``help=``,
``epilog=``) and are evaluated at import, before ``run_main`` has chosen the language. So the
classes here translate at render time: the command's help, its short help in the command list,
each option's help and the epilog go through ``evidence_kit.i18n._``; so do click's own words
in a help page (``Usage:``, ``Options``, ``Commands``, ``default: …``), whose Chinese is in the
same catalogue (``help.po``) under click's English msgids. Nothing is translated, and the
catalogue is not read, until a help page or a usage line is actually rendered.
"""

from __future__ import annotations

import copy
import inspect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import click

from evidence_kit.i18n import _, current_language

# A Chinese short help is the translated help's first sentence (click's own shortening cuts at
# a "." after a space, which Chinese text has neither of).
_FIRST_SENTENCE = re.compile(r"^(.+?)[。；]")


def help_msgid(text: str | None) -> str | None:
    """The msgid of a help text or epilog: as click shows it (dedented, cut at a form feed)."""
    if not text:
        return None
    return inspect.cleandoc(text).partition("\f")[0]


def translate_help(text: str | None) -> str | None:
    msgid = help_msgid(text)
    return _(msgid) if msgid else text


# Chinese text has no spaces to break at: a line may break before any wide character, but not
# before closing punctuation nor after opening punctuation (a line never starts with "，").
_NO_LINE_START = set("，。、；：？！）》」』】〕…,.;:?!)]}%")
_NO_LINE_END = set("（《「『【〔([{")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: an ASCII word, a run of spaces, or one wide character, with closing
    punctuation glued to what precedes it and opening punctuation to what follows."""
    raw = re.findall(r" +|[^\s]", text)
    out: list[str] = []
    for piece in raw:
        prev = out[-1] if out else ""
        glue = (
            bool(prev)
            and not piece.isspace()
            and not prev.isspace()
            and (
                piece[0] in _NO_LINE_START
                or prev[-1] in _NO_LINE_END
                or not (_is_wide(piece) or _is_wide(prev[-1]))  # inside an English word
                or prev[-1].isdigit()  # 3月1日, 0.3万: a number stays with its unit
            )
        )
        if glue:
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _fill(paragraph: str, width: int, indent: str) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(paragraph):
        if line and not token.isspace() and _width(indent + line.rstrip() + token) > width:
            lines.append(indent + line.rstrip())
            line = ""
        if not line and token.isspace():
            continue
        line += token
    if line.strip():
        lines.append(indent + line.rstrip())
    return lines


def _join_lines(lines: list[str]) -> str:
    # A line break inside a Chinese paragraph is no space; between two English words it is.
    text = ""
    for line in lines:
        if text and not (_is_wide(text[-1]) or _is_wide(line[0])):
            text += " "
        text += line
    return text


def wrap_wide(text: str, width: int, indent: str = "") -> str:
    """click's ``wrap_text`` (paragraphs kept, ``\\b`` blocks not rewrapped) for text with
    Chinese in it, measured in terminal columns (a Chinese character takes two)."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.expandtabs()):
        lines = block.splitlines()
        if not lines:
            continue
        if lines[0].strip() == "\b":
            out.append("\n".join(indent + line for line in lines[1:]))
            continue
        stripped = lines[0].lstrip()
        extra = " " * (len(lines[0]) - len(stripped))
        body = _join_lines([stripped] + [line.strip() for line in lines[1:]])
        out.append("\n".join(_fill(body, width, indent + extra)))
    return "\n\n".join(out)


class TranslatedHelpFormatter(click.HelpFormatter):
    """click's formatter, with its own words (the usage prefix, section titles) translated and
    Chinese text wrapped at terminal columns (click can only break English at spaces)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            word = _("Usage:")
            prefix = word if word.endswith("：") else word + " "
        super().write_usage(prog, args, prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_(name)):
            yield

    def write_heading(self, heading: str) -> None:
        if heading.isascii():
            super().write_heading(heading)
        else:
            self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        if text.isascii():
            super().write_text(text)
            return
        self.write(wrap_wide(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if all(second.isascii() for _first, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((len(first) for first, _s in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_wide(second, max(self.width - first_col - 2, 10)).splitlines()
            pad = " " * (first_col + self.current_indent)
            self.write("\n".join([lines[0], *(pad + line for line in lines[1:])]) + "\n")


class TranslatedContext(click.Context):
    formatter_class = TranslatedHelpFormatter


def _option_record(param: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """click's ``Option.get_help_record`` with the help and the bracketed extras translated."""
    if param.hidden:
        return None
    help_text = translate_help(param.help) or ""
    extra = param.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(_("env var: {var}").format(var=", ".join(extra["envvars"])))
    if "default" in extra:
        items.append(_("default: {default}").format(default=extra["default"]))
    if "range" in extra:
        items.append(extra["range"])
    if "required" in extra:
        items.append(_("required"))
    if items:
        joined = _("; ").join(items)
        help_text = f"{help_text}  [{joined}]" if help_text else f"[{joined}]"
    return param.get_help_spec(ctx), help_text


def _param_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    if isinstance(param, click.Option):
        return _option_record(param, ctx)
    view = copy.copy(param)
    if isinstance(view, click.Argument):
        view.help = translate_help(view.help)
    return view.get_help_record(ctx)


class TranslatedCommand(click.Command):
    """A command whose help page is in the chosen language."""

    context_class = TranslatedContext

    def _translated_view(self) -> click.Command:
        # A shallow copy with translated texts: the command itself keeps its English msgids,
        # so the next help page (in another language) translates from the source again.
        view = copy.copy(self)
        view.help = translate_help(self.help)
        view.short_help = translate_help(self.short_help)
        view.epilog = translate_help(self.epilog)
        return view

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help_text(self._translated_view(), ctx, formatter)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_epilog(self._translated_view(), ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help or current_language() == "en":
            return click.Command.get_short_help_str(self._translated_view(), limit)
        msgid = help_msgid(self.help)
        translated = _(msgid) if msgid else None
        if not translated or translated == msgid:  # no translation: click's English shortening
            return click.Command.get_short_help_str(self, limit)
        paragraph = translated.split("\n\n", 1)[0].replace("\n", "")
        found = _FIRST_SENTENCE.match(paragraph)
        return found.group(1) if found else paragraph

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if any(a.help is not None for a in args):
            rows = [r for a in args if (r := _param_record(a, ctx)) is not None]
            with formatter.section("Positional arguments"):
                formatter.write_dl(rows)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            r
            for p in self.get_params(ctx)
            if not isinstance(p, click.Argument) and (r := _param_record(p, ctx)) is not None
        ]
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)


class TranslatedGroup(TranslatedCommand, click.Group):
    """A group whose help page, and every sub-command's, is in the chosen language."""

    command_class = TranslatedCommand
    group_class = type  # sub-groups are TranslatedGroups too

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        TranslatedCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)
