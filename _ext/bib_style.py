"""Author–year bibliography for sphinxcontrib-bibtex.

The book cites author–year (``bibtex_reference_style: author_year``); this style makes the bibliography page
match: entries sorted by author, then year (pybtex's "plain" order), with every author listed, and labelled
"Marion and Berthier 2023", "Jacot et al. 2018", "Khalil 2002" instead of numbers. Selected in _config.yml with
``bibtex_default_style: authoryear``.
"""

from __future__ import annotations

import codecs
import re

import latexcodec  # noqa: F401  (registers the "ulatex" codec; a dependency of pybtex)
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _plain(text: str) -> str:
    """LaTeX to plain text: accents decoded, braces dropped."""
    return re.sub(r"[{}]", "", codecs.decode(text, "ulatex"))


def _surnames(entry) -> list[str]:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    return [_plain(" ".join(p.prelast_names + p.last_names)) for p in persons]


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "A 2002", "A and B 2023", "A et al. 2018"; a, b, ... appended when two labels coincide."""

    def format_labels(self, sorted_entries):
        labels = []
        for entry in sorted_entries:
            names = _surnames(entry) or [entry.key]
            who = names[0] if len(names) == 1 else f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]} et al."
            labels.append(f"{who} {entry.fields.get('year', 'n.d.')}")
        seen: dict[str, int] = {}
        for label in labels:
            seen[label] = seen.get(label, 0) + 1
        count: dict[str, int] = {}
        for label in labels:
            if seen[label] > 1:
                count[label] = count.get(label, 0) + 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[count[label] - 1]
            else:
                yield label


class AuthorYearStyle(PlainStyle):
    default_label_style = "authoryear"


def setup(app):
    register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabelStyle)
    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
