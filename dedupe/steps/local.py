"""Per-document steps: clean, strip chrome, drop in-document repeats, sign.

They depend only on the document itself, so they run in worker processes in
any order and give the same result.
"""
from __future__ import annotations

from itertools import compress, count

import xxhash

from ..config import Config
from ..document import Document
from ..sketch.minhash import MinHasher, unique_shingle_rows
from ..stats import Stats
from ..text.boilerplate import LIST_MARK, strip_lines, trim_lines
from ..text.linefreq import CommonLines, source_of
from ..text.normalize import clean, join_kept
from ..text.paragraphs import extend_runs_to_short_repeats, may_repeat, repeated_paragraphs
from ..text.shingle import TokenHasher, shingle_hashes_batch, unpack
from .base import BatchStep, Step


class CleanStep(Step):
    """Corpus-safe normalization of the text (``dedupe.text.normalize.clean``)."""

    name = "clean"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.options = config.normalize.clean_options()

    def process(self, doc: Document) -> None:
        doc.text = clean(doc.text, self.options)


class StripStep(Step):
    """Remove site-chrome lines, trim chrome glued to text, drop repeated paragraphs;
    compute the match-key tokens.

    Chrome comes from ``strip_lines`` (lexicon, patterns, position) and, when a
    first pass counted them, from ``CommonLines`` (lines many documents of the same
    source share). Kept lines then go through ``trim_line`` (``trim_lines``). Stats: ``lines_stripped``,
    ``lines_trimmed``, ``paragraphs_removed``; ``--audit`` records each with its rule
    (trimmed lines as ``trim:<rule>`` with the line as it was; a repeated paragraph with
    ``repeat_of``, the line number of the paragraph it repeats).
    """

    name = "strip"

    def __init__(self, stats: Stats, config: Config, common_lines: CommonLines | None = None) -> None:
        super().__init__(stats)
        self.cfg = config.boilerplate
        self.hasher = TokenHasher(config.normalize.key_options())
        # the executor's first pass saves the common lines and names the file in the config
        if common_lines is None and self.cfg.common_lines:
            common_lines = CommonLines.load(self.cfg.common_lines, self.cfg.linefreq_max_words,
                                            config.normalize.key_options())
        self.common = common_lines

    @staticmethod
    def _field(record: dict, name: str | None) -> str | None:
        """``record[name]``, else ``record["meta"][name]`` (scraped corpora nest their metadata)."""
        if not name:
            return None
        value = record.get(name)
        if value is None:
            meta = record.get("meta")
            if isinstance(meta, dict):
                value = meta.get(name)
        return value if isinstance(value, str) else None

    def chrome(self, doc: Document, lines: list[str]) -> dict[int, str]:
        """Index -> rule of every chrome line."""
        title = self._field(doc.record, self.cfg.title_field)
        verdicts = strip_lines(lines, title, self._field(doc.record, "author"))
        if self.common:
            source = source_of(doc.record, doc.source)
            for i, line in enumerate(lines):
                if verdicts[i] is None and line and self.common.is_common(source, line):
                    verdicts[i] = "common_line"
        return {i: verdicts[i] for i in compress(count(), verdicts)}  # (the loop over all lines in C)

    def process(self, doc: Document) -> None:
        lines = doc.text.split("\n")
        drop: dict[int, str] = {}
        trimmed: list[tuple[int, str, str]] = []
        if self.cfg.strip:
            drop = self.chrome(doc, lines)
            # (the first HEAD_ZONE content lines are the head; one C scan picks the lines trim_line may cut)
            for i, new, rule in trim_lines(lines, drop):
                trimmed.append((i + 1, f"trim:{rule}", lines[i]))
                lines[i] = new
        # packed token hashes per line (see TokenHasher.line_bytes): equal lines <=> equal bytes
        line_tokens = self.hasher.lines_bytes(lines, drop)
        n_chrome = len(drop)
        twins: dict[int, int] = {}  # a repeated paragraph -> the one it repeats (for the audit)
        if self.cfg.repeats and may_repeat(line_tokens):
            keys = [memoryview(t).cast("Q") for t in line_tokens]  # (unpack, inline)
            for i, (reason, j) in repeated_paragraphs(keys).items():
                if reason == "near_repeat" and LIST_MARK.match(lines[i]) and LIST_MARK.match(lines[j]):
                    continue  # two lists of one article may share an entry: '4. لعبة ...' and later '6. لعبة ...'
                drop[i] = reason
                twins[i] = j
            extend_runs_to_short_repeats(line_tokens, drop)
        if trimmed:
            self.stats.add("lines_trimmed", len(trimmed))
        if drop or trimmed:
            doc.lines_stripped += n_chrome
            doc.paragraphs_removed += len(drop) - n_chrome
            self.stats.add("lines_stripped", n_chrome)
            self.stats.add("paragraphs_removed", len(drop) - n_chrome)
            if self.cfg.audit:
                entries = [(i + 1, drop[i], lines[i], {"repeat_of": twins[i] + 1}) if i in twins
                           else (i + 1, drop[i], lines[i]) for i in drop] + trimmed
                doc.audit.extend(sorted(entries))
            doc.text = join_kept(lines, drop)
        if len(drop) > n_chrome:  # repeats were dropped (chrome lines have no tokens already: b"")
            line_tokens = [t for i, t in enumerate(line_tokens) if i not in drop]
        doc.tokens = memoryview(b"".join(line_tokens)).cast("Q")  # (uint64 values; no numpy on this path)


class EmptyFilter(Step):
    """Remove documents with fewer match-key tokens than ``min_tokens`` left."""

    name = "empty"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        self.min_tokens = config.dedup.min_tokens

    def process(self, doc: Document) -> None:
        if len(doc.tokens) < self.min_tokens:
            doc.remove("empty_after_cleaning")
            doc.tokens = None  # not needed past this point (as SignStep does for the others)


class SignStep(BatchStep):
    """Exact-match hash of the token stream, MinHash signature of its n-grams and what verification needs.

    Everything here is per document, so it runs in the workers: the main process
    only compares numbers. The unique shingle set is kept only when candidates are
    verified exactly (``verify="exact"``); paragraph hashes (and, for paragraph
    near-duplicates, their band keys and shingles: ``ParagraphSigner``) only when
    paragraph dedup is on.
    """

    name = "sign"

    def __init__(self, stats: Stats, config: Config) -> None:
        super().__init__(stats)
        d = config.dedup
        self.ngram = d.ngram
        self.near = d.near
        self.keep_shingles = d.near and d.verify == "exact"
        self.paragraphs = None
        if d.paragraph_dedup:  # (imported only then: its module needs numpy)
            from .paragraph_dedup import ParagraphSigner

            self.paragraphs = ParagraphSigner(config)
        self.minhasher = MinHasher(d.num_perm, d.seed)
        self.clitic_hasher = TokenHasher(config.normalize.key_options(), clitics=True) if d.clitics else None

    def process_batch(self, docs: list[Document]) -> None:
        digest = xxhash.xxh3_64_intdigest
        for doc in docs:
            doc.exact_hash = digest(doc.tokens)  # (of the array's bytes, no copy)
        if self.near:
            tokens = ([d.tokens for d in docs] if self.clitic_hasher is None
                      else [self._near_tokens(d) for d in docs])
            flat, ends = shingle_hashes_batch(tokens, self.ngram)
            # a MinHash value is a minimum over the shingles: the same of the unique ones, in any order
            for doc, sig in zip(docs, self.minhasher.signature_rows(flat, ends)):
                doc.signature = sig
            if self.keep_shingles:  # (may sort flat's segments in place: after the signatures, which do not mind)
                for doc, sh in zip(docs, unique_shingle_rows(flat, ends)):
                    doc.shingles = sh
        if self.paragraphs:
            self.paragraphs.sign(docs)
        for doc in docs:
            doc.tokens = None  # not needed past this point; keeps IPC small


    def _near_tokens(self, doc: Document) -> memoryview:
        """Tokens the near-duplicate shingles are built from: the match key, optionally without proclitics."""
        if self.clitic_hasher is None:
            return doc.tokens
        packed = map(self.clitic_hasher.line_bytes, doc.text.split("\n"))
        return memoryview(b"".join(packed)).cast("Q")


def paragraph_hashes(text: str, hasher: TokenHasher) -> list[tuple[int, int, int]]:
    """(line index, xxh3 of the line's match-key tokens, token count) for each non-empty line
    (what ``ParagraphSigner`` puts in ``ParagraphSigns.lines``)."""
    out = []
    for i, line in enumerate(text.split("\n")):
        tokens = hasher.line_bytes(line)  # the uint64 bytes the hash was always taken of
        if tokens:
            out.append((i, xxhash.xxh3_64_intdigest(tokens), len(unpack(tokens))))
    return out


def local_steps(stats: Stats, config: Config) -> list[Step]:
    """The per-document steps, in pipeline order."""
    return [CleanStep(stats, config), StripStep(stats, config), EmptyFilter(stats, config), SignStep(stats, config)]
