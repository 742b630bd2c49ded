"""Synthetic graphs of N times the shipped protocols, for benchmarks.

Each shipped -02 protocol file (``instances/*.ttl``; the -07 files under ``instances/draft-07/`` are not copied) is
copied N times with its IRIs moved to ``…/id/<protocol>-copyK/`` and its short
name suffixed ``-K``; the shared files (terminology, vocabularies, specifications) stay single.

Role categories, two shapes:

- ``per-copy`` (the default): copy K also gets its own copy of the Section 3.2 categories, as if the survey had
  been made N times over. Every part of the graph, the inferred role equivalences included, grows N times: the
  shipped graph's proportions, N times over.
- ``shared``: every copy's roles join the same nine categories, as if one survey compared 11 x N protocols. The
  equivalent pairs then grow with the square of N (about 1,500 at 1x, 166,000 at 10x, 15 million at 100x): a
  stress case for the pairwise ``equivalent-roles`` view rather than a realistic graph.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

SHARED = {
    "categories.ttl",
    "terminology.ttl",
    "vocabulary.ttl",
    "specifications.ttl",
    "security-considerations.ttl",
    "editions.ttl",
}
CATEGORIES = "categories.ttl"
SHAPES = ("per-copy", "shared")
_CATEGORY_NAMESPACE = "https://w3id.org/iotkg/id/category/"


def protocol_files(instances: Path) -> list[Path]:
    """The shipped protocol files (everything but the shared vocabularies)."""
    return [p for p in sorted(instances.glob("*.ttl")) if p.name not in SHARED]


def copy_categories(text: str, copy: int) -> str:
    """Turtle with the role category IRIs moved to copy number ``copy`` (copy 0 is the original)."""
    return text if copy == 0 else text.replace(_CATEGORY_NAMESPACE, f"https://w3id.org/iotkg/id/category-copy{copy}/")


def copy_text(text: str, copy: int, categories: str = "per-copy") -> str:
    """The Turtle of one protocol file, moved to copy number ``copy`` (copy 0 is the original)."""
    if copy == 0:
        return text
    if categories == "per-copy":
        text = copy_categories(text, copy)
    # the file's own namespace: its first, the editions' (id/draft/) aside
    text = re.sub(r"(<https://w3id\.org/iotkg/id/(?!draft/)[a-z0-9-]+)/>", rf"\1-copy{copy}/>", text, count=1)
    return re.sub(r'(iotkg:shortName\s+")([^"]+)"', rf'\1\2-{copy}"', text)


def generate(instances: Path, out: Path, times: int, categories: str = "per-copy") -> list[Path]:
    """Write the shared files once (the categories once per copy if ``categories`` is ``per-copy``) and every
    protocol file ``times`` times into ``out``."""
    if categories not in SHAPES:
        raise ValueError(f"categories must be one of {SHAPES}, not {categories!r}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(instances.glob("*.ttl")):
        if path.name in SHARED:
            text = path.read_text(encoding="utf-8")
            copies = range(times) if path.name == CATEGORIES and categories == "per-copy" else range(1)
            for copy in copies:
                target = out / (path.name if copy == 0 else f"{path.stem}-{copy}.ttl")
                target.write_text(copy_categories(text, copy), encoding="utf-8")
                written.append(target)
    for path in protocol_files(instances):
        text = path.read_text(encoding="utf-8")
        for copy in range(times):
            target = out / f"{path.stem}-{copy}.ttl"
            target.write_text(copy_text(text, copy, categories), encoding="utf-8")
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("times", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--instances", type=Path, default=Path(__file__).resolve().parents[1] / "instances")
    parser.add_argument("--categories", choices=SHAPES, default="per-copy", help="role categories per copy or shared")
    args = parser.parse_args()
    files = generate(args.instances, args.out, args.times, args.categories)
    print(f"{len(files)} files written to {args.out}")


if __name__ == "__main__":
    main()
