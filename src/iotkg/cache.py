"""The cache folder: what took seconds to make from the inputs, kept under a name made from what it depends on."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """``$IOTKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/iotkg``, else ``~/.cache/iotkg``."""
    if os.environ.get("IOTKG_CACHE_DIR"):
        return Path(os.environ["IOTKG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "iotkg"


def write(name: str, data: bytes) -> None:
    """Keep ``data`` as the cache file ``name`` (replaced in one step), unless the cache folder cannot be written
    (which only costs a later command its speed)."""
    path = cache_dir() / name
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)


def remembered(name: str, make: Callable[[], bytes]) -> bytes:
    """The cache file ``name`` if it is there, else what ``make`` returns (then kept under ``name``)."""
    with contextlib.suppress(OSError):
        return (cache_dir() / name).read_bytes()
    data = make()
    write(name, data)
    return data
