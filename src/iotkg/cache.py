"""The cache folder: what took seconds to make, under a name made from what it depends on, checksummed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from pathlib import Path

SUFFIX = ".iotkg-cache"
MAX_ENTRIES = 16
_HEADER = b"iotkg-cache sha256="


def cache_dir() -> Path:
    """``$IOTKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/iotkg``, else ``~/.cache/iotkg``."""
    if os.environ.get("IOTKG_CACHE_DIR"):
        return Path(os.environ["IOTKG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iotkg"


def _header(name: str, data: bytes) -> bytes:
    return _HEADER + hashlib.sha256(len(name).to_bytes(8, "big") + name.encode() + data).hexdigest().encode() + b"\n"


def write(name: str, data: bytes) -> None:
    """Keep ``data`` as the cache entry ``name`` (replaced in one step), unless the cache folder cannot be written."""
    folder = cache_dir()
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(_header(name, data) + data)
        os.replace(temporary, folder / (name + SUFFIX))
        _prune(folder)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def read(name: str) -> bytes | None:
    """The cache entry ``name`` if it is there and whole; ``None`` otherwise (a damaged entry is removed)."""
    path = cache_dir() / (name + SUFFIX)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header, _, data = raw.partition(b"\n")
    if header + b"\n" == _header(name, data):
        with contextlib.suppress(OSError):
            os.utime(path)  # its last use, for pruning
        return data
    print(f"iotkg: the cache entry {path} is damaged: it is made again", file=sys.stderr)
    return None  # (the entry made again replaces it)


def _prune(folder: Path) -> None:
    """Remove the entries past the ``MAX_ENTRIES`` most recently used, and temporary files over an hour old."""
    entries = sorted(folder.glob(f"*{SUFFIX}"), key=lambda path: path.stat().st_mtime, reverse=True)[MAX_ENTRIES:]
    for path in entries + [p for p in folder.glob(".*.tmp") if p.stat().st_mtime < time.time() - 3600]:
        path.unlink(missing_ok=True)
