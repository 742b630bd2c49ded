"""The one rule that matches a player's name to a Section 3.2 listing (docs/data-conventions.md, "Placements")."""

from __future__ import annotations

import re


def _forms(name: str) -> list[list[str]]:
    """The name's words, without regard to case or hyphens; a word written "A/B" gives one form per alternative
    ("Onboarding/Redirect Server": onboarding server, redirect server); a final "s" of the last word is dropped."""
    words = re.sub(r"[\s\-]+", " ", name.lower()).strip().split(" ")
    forms = [[]]
    for word in words:
        forms = [[*form, part] for form in forms for part in word.split("/")]
    return [[*form[:-1], form[-1][:-1] if form[-1].endswith("s") and len(form[-1]) > 3 else form[-1]] for form in forms]


def matching_listings(name: str, listings: dict[str, str]) -> set[str]:
    """The listings (id -> name as written) that ``name`` matches: a listing matches when one of its forms is the
    whole of one of the name's forms or its last words; of several, only the longest (in words) count."""
    found: dict[str, int] = {}
    for listing, written in listings.items():
        for listed in _forms(written):
            if any(form[-len(listed) :] == listed for form in _forms(name)):
                found[listing] = max(found.get(listing, 0), len(listed))
    longest = max(found.values(), default=0)
    return {listing for listing, size in found.items() if size == longest}
