"""The draft's text by section, per edition, for tests that check a quote against the section it cites.

-02: the plain-text copy (``golden/source/…-02.txt``), with the identifier the copy lost put back. -07: the draft's
markdown source (``golden/source/…-07.md``), numbered as kramdown-rfc numbers its headings, with the markup a quote
leaves out removed (``*`` emphasis; ``{{ref}}`` citations read ``[ref]``)."""

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
        match.group(1): flat(text[match.end() : following.start() if following else len(text)])
        for match, following in zip(found, [*found[1:], None], strict=True)
    }


def _from_markdown(text: str) -> dict[str, str]:
    body = text.split("\n--- middle\n", 1)[1].split("\n--- back", 1)[0]
    numbers: list[int] = []
    sections: dict[str, list[str]] = {}
    current = None
    for line in body.splitlines():
        heading = _MD_HEADING.match(line)
        if heading:
            depth = len(heading.group(1))
            numbers = (numbers + [0] * depth)[:depth]
            numbers[-1] += 1
            current = ".".join(map(str, numbers))
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    clean = {
        number: re.sub(r"\{\{([^}]+)\}\}", r"[\1]", "\n".join(lines)).replace("*", "")
        for number, lines in sections.items()
    }
    return {number: flat(value) for number, value in clean.items()}


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
