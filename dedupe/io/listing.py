"""Finding input files: directories walked recursively in sorted order."""
from __future__ import annotations

import os
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
    not followed, so symlink loops cannot trap the walk.
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
            candidates = [(p, p.relative_to(root).as_posix()) for p in _walk(root)]
        for path, name in candidates:
            kind = classify(path)
            if kind is None:
                warn(f"warning: {path}: unsupported extension, skipped (use .txt, .jsonl, .ndjson, .json, optionally .gz/.zst/.bz2/.xz)")
                continue
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            found.append(InputFile(path, name, *kind))
    return found


def _walk(root: Path) -> list[Path]:
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())
