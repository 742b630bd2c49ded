"""The draft's text by section, per edition, for tests that check a quote against the section it cites.

-02: the plain-text copy (``golden/source/…-02.txt``), with the identifier the copy lost put back. -07: the draft's
markdown source (``golden/source/…-07.md``), numbered as kramdown-rfc numbers its headings (a section's text starts
with its heading), with the markup a quote leaves out removed: ``*`` emphasis; a ``{{ref}}`` citation reads ``[ref]``,
or ``Section N`` where it names a section's anchor."""

from __future__ import annotations

import functools
import re
from pathlib import Path

SOURCE = Path(__file__).parent / "golden" / "source"
_TXT_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\. (.+)$", re.MULTILINE)
_MD_HEADING = re.compile(r"^(#+)\s+(.+?)\s*(?:\{#[^}]*\})?\s*$")


def flat(text: str) -> str:
    """The text with its whitespace collapsed."""
    return re.sub(r"\s+", " ", text)


def _from_text(text: str) -> dict[str, str]:
    found = list(_TXT_HEADING.finditer(text))
    return {
        match.group(1): flat(text[match.end() : following.start() if following else len(text)]).strip()
        for match, following in zip(found, [*found[1:], None], strict=True)
    }


def _from_markdown(text: str) -> dict[str, str]:
    body = text.split("\n--- middle\n", 1)[1].split("\n--- back", 1)[0]
    numbers: list[int] = []
    sections: dict[str, list[str]] = {}
    anchors: dict[str, str] = {}  # a heading's {#anchor} -> "Section N", as the rendered draft cites it
    for line in body.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            depth = len(heading.group(1))
            numbers = (numbers + [0] * depth)[:depth]
            numbers[-1] += 1
            current = ".".join(map(str, numbers))
            sections[current] = [heading.group(2)]  # the heading is the section's first words
            if anchor := re.search(r"\{#([^}]+)\}", line):
                anchors[anchor.group(1)] = f"Section {current}"
        elif numbers:
            sections[current].append(line)

    def cited(match: re.Match[str]) -> str:
        return anchors.get(match.group(1), f"[{match.group(1)}]")

    clean = {
        number: re.sub(r"\{\{([^}]+)\}\}", cited, "\n".join(lines)).replace("*", "")
        for number, lines in sections.items()
    }
    return {number: flat(value).strip() for number, value in clean.items()}


@functools.cache
def sections(edition: str) -> dict[str, str]:
    """Section number -> its text up to the next heading (whitespace collapsed), for edition ``edition``."""
    if edition == "02":
        text = (SOURCE / "draft-irtf-t2trg-security-setup-iot-devices-02.txt").read_text(encoding="utf-8")
        return _from_text(
            text.replace("standard identifier ( during", "standard identifier (noob@eap-noob.arpa) during")
        )
    return _from_markdown(
        (SOURCE / f"draft-irtf-t2trg-security-setup-iot-devices-{edition}.md").read_text(encoding="utf-8")
    )
