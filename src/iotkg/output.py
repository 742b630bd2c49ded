"""Writing generated files: only into folders iotkg made, with deterministic bytes."""

from __future__ import annotations

from pathlib import Path

from iotkg.errors import InputError

MARKER = ".iotkg-output"


def prepare(folder: Path, *, force: bool = False) -> Path:
    """Make ``folder`` ready for output; refuse a non-empty folder that iotkg did not create, unless ``force``."""
    refuse_foreign(folder, force=force)
    return mark(folder)


def mark(folder: Path) -> Path:
    """Make ``folder`` (if need be) and mark it as written by iotkg: a later run may write into it again."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MARKER).exists():
        (folder / MARKER).write_text("This folder is written by iotkg; its files are regenerated.\n")
    return folder


def refuse_foreign(folder: Path, *, force: bool = False) -> None:
    """InputError if ``folder`` is a file, or a non-empty folder that iotkg did not create (unless ``force``)."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder", hint="Choose another output folder.")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists() and not force:
        raise InputError(
            f"{folder}: holds files iotkg did not write",
            hint="Choose an empty or new folder, or pass --force to write into it anyway.",
        )


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with LF line ends (the bytes do not depend on the platform)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path
