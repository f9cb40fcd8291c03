"""Finding input files: directories walked recursively in sorted order."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

COMPRESSED = (".gz", ".zst", ".bz2", ".xz")
JSONL = (".jsonl", ".ndjson", ".json")
TEXT = (".txt",)


@dataclass(frozen=True)
class InputFile:
    """A file to read, with the name documents from it are identified by."""

    path: Path
    name: str  # path relative to the INPUT it was found under
    kind: str  # "jsonl" or "txt"
    compression: str | None  # extension such as ".gz", or None


def classify(path: Path) -> tuple[str, str | None] | None:
    """``("jsonl"|"txt", compression)`` from a file name, or None when unsupported."""
    name = path.name.lower()
    compression = next((c for c in COMPRESSED if name.endswith(c)), None)
    if compression:
        name = name[: -len(compression)]
    if name.endswith(JSONL):
        return "jsonl", compression
    if name.endswith(TEXT):
        return "txt", compression
    return None


def list_inputs(inputs: list[str | Path], warn=print) -> list[InputFile]:
    """Every supported file under the inputs, in a deterministic order.

    Hidden files and directories (starting with ``.``) are skipped; files with an
    unsupported extension are skipped with a warning. Symlinked directories are
    not followed (with a warning), so symlink loops cannot trap the walk; a
    broken or looping file symlink and anything that is not a regular file
    (a FIFO would block the reader forever) are skipped with a warning. A file
    reached twice (through a symlink, or named twice) is read once.
    """
    found: list[InputFile] = []
    seen: set[Path] = set()
    for item in inputs:
        root = Path(item)
        if not root.exists():
            raise ConfigError(f"input not found: {root}")
        if root.is_file():
            candidates = [(root, root.name)]
        else:
            candidates = [(p, p.relative_to(root).as_posix()) for p in _walk(root, warn)]
        for path, name in candidates:
            kind = classify(path)
            if kind is None:
                warn(f"warning: {path}: unsupported extension, skipped (use .txt, .jsonl, .ndjson, .json, optionally .gz/.zst/.bz2/.xz)")
                continue
            problem = _not_regular(path)
            if problem:
                warn(f"warning: {path}: {problem}, skipped")
                continue
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            found.append(InputFile(path, name, *kind))
    return found


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return f"broken or looping symlink ({exc.strerror})"
        return f"cannot stat ({exc.strerror})"
    return None if stat.S_ISREG(mode) else "not a regular file"


def _walk(root: Path, warn=print) -> list[Path]:
    files: list[Path] = []

    def on_error(exc: OSError) -> None:
        warn(f"warning: {exc.filename}: cannot list directory ({exc.strerror}), skipped")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        for d in dirnames:
            if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d)):
                warn(f"warning: {os.path.join(dirpath, d)}: symlinked directory not followed")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d)))
        files.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())
