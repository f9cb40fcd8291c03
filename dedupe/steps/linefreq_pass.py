"""The first pass of the corpus-statistics chrome detector (``--linefreq``).

It reads every input once before the main pass and counts, per source, in how
many documents each cleaned line occurs (``dedupe.text.linefreq``); StripStep
then treats the common lines of a source as chrome.
"""
from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..document import Document
from ..io.listing import InputFile
from ..io.readers import Reader
from ..text.linefreq import LineFrequency, source_of
from ..text.normalize import clean


def count_common_lines(files: list[InputFile], config: Config, out: Path) -> Path:
    """First pass of the corpus-statistics chrome detector (``dedupe.text.linefreq``): count in how
    many documents of each source every cleaned line occurs; save the common ones for StripStep."""
    bp = config.boilerplate
    counter = LineFrequency(bp.linefreq_min_docs, bp.linefreq_max_words, bp.linefreq_max_entries,
                            config.normalize.key_options())
    options = config.normalize.clean_options()
    reader = Reader(config.io.text_field, config.io.id_field, config.io.max_record_bytes)
    for f in files:
        for item in reader.read(f):
            if isinstance(item, Document):
                counter.add(source_of(item.record, item.source), clean(item.text, options).split("\n"))
    path = out / "linefreq" / "common_lines.npy"
    path.parent.mkdir(parents=True, exist_ok=True)
    counter.common().save(path)
    return path
