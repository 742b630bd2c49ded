"""Synthetic graphs of N times the shipped protocols, for benchmarks.

Each shipped protocol file is copied N times with its IRIs moved to ``…/id/<protocol>-copyK/`` and its short
name suffixed ``-K``; the shared files (categories, terminology, vocabularies, specifications) stay single. The
result has the ontology's shape and the shipped graph's proportions, N times over.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

SHARED = {"categories.ttl", "terminology.ttl", "vocabulary.ttl", "specifications.ttl", "security-considerations.ttl"}


def protocol_files(instances: Path) -> list[Path]:
    """The shipped protocol files (everything but the shared vocabularies)."""
    return [p for p in sorted(instances.glob("*.ttl")) if p.name not in SHARED]


def copy_text(text: str, copy: int) -> str:
    """The Turtle of one protocol file, moved to copy number ``copy`` (copy 0 is the original)."""
    if copy == 0:
        return text
    text = re.sub(r"(<https://w3id\.org/iotkg/id/[a-z0-9-]+)/>", rf"\1-copy{copy}/>", text, count=1)
    return re.sub(r'(iotkg:shortName\s+")([^"]+)"', rf'\1\2-{copy}"', text)


def generate(instances: Path, out: Path, times: int) -> list[Path]:
    """Write the shared files once and every protocol file ``times`` times into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(instances.glob("*.ttl")):
        if path.name in SHARED:
            target = out / path.name
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            written.append(target)
    for path in protocol_files(instances):
        text = path.read_text(encoding="utf-8")
        for copy in range(times):
            target = out / f"{path.stem}-{copy}.ttl"
            target.write_text(copy_text(text, copy), encoding="utf-8")
            written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("times", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--instances", type=Path, default=Path(__file__).resolve().parents[1] / "instances")
    args = parser.parse_args()
    files = generate(args.instances, args.out, args.times)
    print(f"{len(files)} files written to {args.out}")


if __name__ == "__main__":
    main()
