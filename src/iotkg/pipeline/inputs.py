"""The input files: found, read once, and digested (what is parsed is what is hashed); no rdflib here."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from iotkg import paths
from iotkg.errors import InputError

ONTOLOGY_FILE = "iotkg.ttl"
SHAPES_FILE = "shapes.ttl"
MAX_FILE_BYTES = 64 * 1024 * 1024  # the largest input file read (the shipped files are under 100 KB)


@dataclass(frozen=True)
class InputFile:
    """One input file and the bytes read from it: what is parsed is exactly what is hashed."""

    path: Path
    data: bytes

    @property
    def base_iri(self) -> str:
        """The IRI relative IRIs in the file resolve against (its location)."""
        return self.path.resolve().as_uri()


@dataclass(frozen=True)
class Inputs:
    """The files a graph is made of: the ontology, the instance files, extra files, and the shapes."""

    ontology: InputFile
    instances: list[InputFile]
    shapes: InputFile | None = None

    @property
    def all(self) -> list[InputFile]:
        """Every file, in a fixed order."""
        return [self.ontology, *self.instances, *([self.shapes] if self.shapes else [])]

    @cached_property
    def digest(self) -> str:
        """SHA-256 of every file's name and bytes, each framed by its length (two inputs share it only if equal)."""
        return framed_digest(item for f in self.all for item in (f.path.name.encode(), f.data))

    @cached_property
    def located_digest(self) -> str:
        """``digest`` plus where each file is (its base IRI changes what relative IRIs mean)."""
        return framed_digest([self.digest.encode(), *(f.base_iri.encode() for f in self.all)])


def framed_digest(items: object) -> str:
    """SHA-256 of ``items`` (bytes), each framed by its length."""
    sha = hashlib.sha256()
    for item in items:  # type: ignore[attr-defined]
        sha.update(len(item).to_bytes(8, "big") + item)
    return sha.hexdigest()


def turtle_files(folder: Path) -> list[Path]:
    """The Turtle files of a folder and its sub-folders, sorted, hidden ones skipped; InputError if there are none."""
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder", hint="Pass --instances with a folder of Turtle files.")
    files = sorted(
        path
        for path in folder.rglob("*.ttl")
        if not any(part.startswith(".") for part in path.relative_to(folder).parts) and path.is_file()
    )
    if not files:
        raise InputError(
            f"{folder}: no Turtle (.ttl) files found",
            hint="An empty folder has nothing to check: add protocol entries, or point --instances elsewhere.",
        )
    return files


def read_file(path: Path) -> InputFile:
    """A regular file's bytes (never blocking on a FIFO); InputError if not regular, too large or unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(f"{path}: not a regular file", hint="Pass Turtle files (not a pipe or a device).")
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(
            f"{path}: cannot be read: {error.strerror}", hint="Check the path and its permissions."
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than the limit of {MAX_FILE_BYTES:,} bytes", hint="Split it, or remove it.")
    return InputFile(path, data)


def read_inputs(instances: Path | None = None, extra: list[Path] | None = None) -> Inputs:
    """Read the ontology, the instance files (the shipped ones by default), ``extra`` files and the shapes."""
    files = turtle_files(instances or paths.instances_dir()) + [Path(p) for p in extra or []]
    shapes = paths.ontology_dir() / SHAPES_FILE
    return Inputs(
        read_file(paths.ontology_dir() / ONTOLOGY_FILE),
        [read_file(path) for path in files],
        read_file(shapes) if shapes.is_file() else None,
    )


_PREFIX_DECLARATION = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>", re.M | re.I)


def declared_prefixes(text: str) -> list[tuple[str, str]]:
    """The (prefix, namespace) pairs a Turtle text declares, in order ("" for the empty prefix)."""
    return _PREFIX_DECLARATION.findall(text)
