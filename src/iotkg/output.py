"""Writing generated files: only into folders iotkg made, whole or not at all, no symlink followed."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from iotkg.errors import InputError

MARKER = ".iotkg-output"
FILE_LIST = ".iotkg-files"  # the files iotkg wrote there: the others are the user's, kept by the next run


def mark(folder: Path) -> Path:
    """Make ``folder`` (if need be) and mark it as written by iotkg: a later run may write into it again."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / MARKER).exists():
        (folder / MARKER).write_text("This folder is written by iotkg; its files are regenerated.\n")
    return folder


def refuse_foreign(folder: Path, *, force: bool = False) -> None:
    """InputError if ``folder`` is a file, or a non-empty folder that iotkg did not create (unless ``force``)."""
    if (folder.exists() and not folder.is_dir()) or folder.is_symlink():
        raise InputError(f"{folder}: exists and is not a folder", hint="Choose another output folder.")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).exists() and not force:
        raise InputError(
            f"{folder}: holds files iotkg did not write",
            hint="Choose an empty or new folder, or pass --force to write into it anyway.",
        )


def write_folder(target: Path, write: Callable[[Path], list[Path]], *, force: bool = False) -> list[Path]:
    """Run ``write`` on a new folder beside ``target`` and swap it in with the user's files; the files written."""
    refuse_foreign(target, force=force)
    staging = target.parent / f".{target.name}.{os.getpid()}.iotkg-new"
    try:
        shutil.rmtree(staging, ignore_errors=True)  # left by a killed process that had this process id
        target.parent.mkdir(parents=True, exist_ok=True)
        written = write(mark(staging))
        names = sorted(path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file())
        write_text(staging / FILE_LIST, "".join(f"{name}\n" for name in names))
        if target.is_dir():
            _carry_over(target, staging)
            if not _exchange(staging, target):  # no atomic exchange here: two renames
                os.rename(target, staging.with_suffix(".iotkg-old"))
                os.rename(staging, target)
                os.rename(staging.with_suffix(".iotkg-old"), staging)
        else:
            os.rename(staging, target)
    except OSError as error:
        hint = "Check that its folder is writable and has room; the previous output is left as it was."
        raise InputError(f"{target}: cannot be written: {error.strerror or error}", hint=hint) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # (the previous output once swapped out)
    return [target / path.relative_to(staging) for path in written]


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not available."""
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    return rename is not None and rename(-100, os.fsencode(first), -100, os.fsencode(second), 2) == 0


def _carry_over(old: Path, new: Path) -> None:
    """Link into ``new`` each file or symlink of ``old`` that iotkg did not write and ``new`` has not (no following)."""
    listed = old / FILE_LIST
    own = set(listed.read_bytes().decode("utf-8", "replace").splitlines()) if listed.is_file() else set()
    for folder, folders, files in os.walk(old):
        for name in files + [name for name in folders if os.path.islink(os.path.join(folder, name))]:
            source = Path(folder, name)
            relative = source.relative_to(old).as_posix()
            destination = new / relative
            if relative in own or name in (MARKER, FILE_LIST, ".iotkg-site-files") or os.path.lexists(destination):
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, destination, follow_symlinks=False)
            except OSError:
                shutil.copy2(source, destination, follow_symlinks=False)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with LF line ends (the bytes do not depend on the platform)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def write_file(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write one file whole (a temporary file renamed over it), refusing an existing one unless ``force``."""
    if os.path.lexists(path) and not force:
        raise InputError(f"{path}: already exists", hint="Pass --force to overwrite it, or choose another file.")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise InputError(f"{path}: cannot be written: {error.strerror}", hint="Check its folder and room.") from None
