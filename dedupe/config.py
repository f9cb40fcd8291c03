"""Frozen, validated configuration for every stage; loadable from TOML.

Each section is a dataclass with defaults; invalid values raise ``ConfigError``
with a message that says how to fix them. CLI flags override file values.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .text.normalize import KEY_UNIFICATIONS, CleanOptions, KeyOptions

COMPRESSIONS = ("none", "gzip", "zstd")


@dataclass(frozen=True)
class NormalizeConfig:
    """Opt-in cleaning rules (off: the corpus text keeps its meaning) and match-key steps.

    ``key_unify`` lists the match-key steps to apply, from ``KEY_UNIFICATIONS``
    (diacritics, alef, alef_maksura, teh_marbuta, hamza_on_waw, hamza_on_yeh,
    persian_letters, digits, punctuation, casefold); a TOML list must name every
    step it wants kept.
    """

    strip_diacritics: bool = False
    digits_to_ascii: bool = False
    persian_to_arabic: bool = False
    key_unify: tuple[str, ...] = KEY_UNIFICATIONS

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_unify", tuple(self.key_unify))
        bad = set(self.key_unify) - set(KEY_UNIFICATIONS)
        if bad:
            raise ConfigError(f"normalize.key_unify: unknown {sorted(bad)}; choose from {list(KEY_UNIFICATIONS)}")

    def clean_options(self) -> CleanOptions:
        return CleanOptions(self.strip_diacritics, self.digits_to_ascii, self.persian_to_arabic)

    def key_options(self) -> KeyOptions:
        return KeyOptions(unify=self.key_unify)


@dataclass(frozen=True)
class BoilerplateConfig:
    """Strip site-chrome lines and in-document repeated paragraphs."""

    strip: bool = True
    repeats: bool = True
    title_field: str | None = "title"
    audit: bool = False
    #: CCNet-style first pass: lines shared by >= linefreq_min_docs documents of one source are chrome.
    linefreq: bool = False
    linefreq_min_docs: int = 10
    linefreq_max_words: int = 30
    linefreq_max_entries: int = 2_000_000
    #: Set by the executor after the first pass (a CommonLines .npy file); not a user setting.
    common_lines: str | None = None

    def __post_init__(self) -> None:
        if self.linefreq_min_docs < 2:
            raise ConfigError(f"linefreq_min_docs must be >= 2, got {self.linefreq_min_docs}; 10 is the default")
        if self.linefreq_max_words < 2:
            raise ConfigError(f"linefreq_max_words must be >= 2, got {self.linefreq_max_words}")
        if self.linefreq_max_entries < 1000:
            raise ConfigError(f"linefreq_max_entries must be >= 1000, got {self.linefreq_max_entries}; "
                              "2,000,000 entries take about 200 MB")


KEEP_POLICIES = ("first", "longest", "shortest")
VERIFY_MODES = ("estimate", "exact")
BACKENDS = ("auto", "memory", "disk", "datasketch")
SCORES = ("jaccard", "containment")


@dataclass(frozen=True)
class DedupConfig:
    """Exact, near-duplicate (MinHash LSH) and cross-document paragraph removal; names follow datasketch.

    ``candidate_threshold`` is the LSH threshold (what becomes a candidate);
    ``threshold`` is what a candidate must reach when verified. With
    ``verify="exact"`` a lower candidate threshold buys recall at no precision
    cost (see benchmarks/neardup/README.md for the measurements).
    """

    exact: bool = True
    near: bool = True
    threshold: float = 0.8
    candidate_threshold: float | None = 0.7
    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    min_tokens: int = 1
    verify: str = "exact"
    score: str = "jaccard"
    clitics: bool = False
    keep: str = "first"
    clusters: bool = False
    backend: str = "auto"
    memory_mb: int = 1024
    paragraph_dedup: bool = False
    paragraph_min_tokens: int = 20
    paragraph_min_doc_tokens: int = 50
    #: Paragraph near-duplicates: shingle Jaccard a paragraph must reach with a kept one (1.0: exact hash only).
    paragraph_threshold: float = 0.7
    #: Word n-gram size of paragraph shingles (paragraphs are short: a 5-gram loses 5 shingles per changed word).
    paragraph_ngram: int = 3

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ConfigError(f"--threshold must be in (0, 1], got {self.threshold}; 0.8 is a common choice")
        ct = self.candidate_threshold
        if ct is not None and not 0.0 < ct <= 1.0:
            raise ConfigError(f"candidate_threshold must be in (0, 1], got {ct}; a little under --threshold, e.g. 0.7")
        if not 2 <= self.num_perm <= 1024:
            raise ConfigError(f"num_perm must be between 2 and 1024, got {self.num_perm}")
        if not 1 <= self.ngram <= 8:
            raise ConfigError(f"ngram must be between 1 and 8, got {self.ngram}; word 5-grams are the default")
        if self.min_tokens < 1:
            raise ConfigError(f"min_tokens must be >= 1, got {self.min_tokens}")
        for name, value, choices in (("--verify", self.verify, VERIFY_MODES), ("--score", self.score, SCORES),
                                     ("--keep", self.keep, KEEP_POLICIES), ("--index", self.backend, BACKENDS)):
            if value not in choices:
                raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
        if self.score == "containment" and self.verify != "exact":
            raise ConfigError("--score containment needs --verify exact (containment is computed on shingle sets)")
        if self.memory_mb < 16:
            raise ConfigError(f"--memory-mb must be >= 16, got {self.memory_mb}")
        if self.paragraph_min_tokens < 1 or self.paragraph_min_doc_tokens < 0:
            raise ConfigError("paragraph_min_tokens must be >= 1 and paragraph_min_doc_tokens >= 0")
        if not 0.0 < self.paragraph_threshold <= 1.0:
            raise ConfigError(f"--paragraph-threshold must be in (0, 1], got {self.paragraph_threshold}; "
                              "1.0 (or 'exact') removes only exact repeats")
        if not 1 <= self.paragraph_ngram <= 8:
            raise ConfigError(f"paragraph_ngram must be between 1 and 8, got {self.paragraph_ngram}")

    @property
    def paragraph_near(self) -> bool:
        """Whether paragraph dedup also removes near-duplicate paragraphs (MinHash LSH), not only exact repeats."""
        return self.paragraph_dedup and self.paragraph_threshold < 1.0

    @property
    def paragraph_lsh_threshold(self) -> float:
        """The candidate threshold the paragraph banding is tuned for: 0.1 under the verified one (like 0.7 / 0.8)."""
        return max(0.1, round(self.paragraph_threshold - 0.1, 6))

    @property
    def lsh_threshold(self) -> float:
        """The threshold the LSH banding is tuned for: never above the verification threshold."""
        ct = self.threshold if self.candidate_threshold is None else self.candidate_threshold
        return min(ct, self.threshold)

    @property
    def clustered(self) -> bool:
        """Whether the two-pass clustered mode runs (see ``dedupe/executors/clustered.py``)."""
        return self.near and (self.keep != "first" or self.clusters or self.backend == "disk")


@dataclass(frozen=True)
class IOConfig:
    """Input fields and output sharding."""

    text_field: str = "text"
    id_field: str = "id"
    compression: str = "none"
    shard_docs: int = 100_000
    max_record_bytes: int = 64 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.compression not in COMPRESSIONS:
            raise ConfigError(f"--compression must be one of {', '.join(COMPRESSIONS)}, got {self.compression!r}")
        if self.shard_docs < 1:
            raise ConfigError(f"--shard-docs must be >= 1, got {self.shard_docs}")
        if not self.text_field:
            raise ConfigError("--text-field must not be empty")
        if self.max_record_bytes < 1:
            raise ConfigError(f"--max-record-bytes must be >= 1, got {self.max_record_bytes}")


#: Upper bound of ``workers = "auto"``. The main process reads, decides and writes every
#: document itself, in input order; on the 40 MB benchmark corpus it spends 1.3 CPU-s of
#: the 2.9 a one-process run takes (2.3 with --paragraph-dedup or --keep longest), so
#: with 2 workers it is already the critical path and a third or fourth worker only
#: helps once it gets faster. More processes then only wait, each with its own ~45 MB.
AUTO_WORKERS_MAX = 4

#: Below this much input (bytes on disk, summed over the input files),
#: ``workers = "auto"`` runs in-process: starting worker processes would cost more
#: than it saves. An explicit worker count is always honoured.
AUTO_WORKERS_MIN_BYTES = 4 * 1024 * 1024


def available_cpus() -> int:
    """CPUs this process may run on: its affinity mask where the OS has one, else ``os.cpu_count()``."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux (macOS, Windows)
        return max(1, os.cpu_count() or 1)


def parse_workers(value: Any) -> int | str:
    """``"auto"`` (any case, surrounding spaces ignored) or an integer >= 1, from TOML, the CLI or the API."""
    bad = ConfigError(f"--workers must be 'auto' or a whole number >= 1, got {value!r}")
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "auto":
            return "auto"
        try:
            value = int(text)
        except ValueError:
            raise bad from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad
    if value < 1:
        raise ConfigError(f"--workers must be >= 1, got {value}; 'auto' uses the CPUs this process may run on")
    return value


@dataclass(frozen=True)
class RunConfig:
    """How the run executes; none of these change the output.

    ``workers``: ``"auto"`` (the default) or a number of processes. ``1`` runs
    everything in this process; ``"auto"`` uses ``available_cpus()``, at most
    ``AUTO_WORKERS_MAX``, and runs in-process when there is one CPU or the input
    is under ``AUTO_WORKERS_MIN_BYTES`` (see ``resolved_workers``).
    ``batch_docs``: documents per worker task for inputs read item by item
    (``.txt`` and compressed files); ``block_bytes``: bytes per worker task for
    uncompressed JSON lines, which the workers split themselves (with one
    worker, everything goes in batches of ``batch_docs``).
    """

    workers: int | str = "auto"
    batch_docs: int = 256
    block_bytes: int = 1 << 20
    strict: bool = False
    quiet: bool = False
    overwrite: bool = False
    resume: bool = False

    def __post_init__(self) -> None:
        if self.overwrite and self.resume:
            raise ConfigError("--overwrite and --resume exclude each other: --resume finishes an interrupted run, "
                              "--overwrite starts over")
        object.__setattr__(self, "workers", parse_workers(self.workers))
        if self.batch_docs < 1:
            raise ConfigError(f"batch_docs must be >= 1, got {self.batch_docs}")
        if self.block_bytes < 1:
            raise ConfigError(f"block_bytes must be >= 1, got {self.block_bytes}")

    def resolved_workers(self, input_bytes: int | None = None) -> int:
        """The number of processes a run uses (1: in-process, no pool).

        An integer ``workers`` is used as given. ``"auto"`` is
        ``min(available_cpus(), AUTO_WORKERS_MAX)``, or 1 when ``input_bytes``
        (the summed size of the input files) is under ``AUTO_WORKERS_MIN_BYTES``.
        """
        if self.workers != "auto":
            return self.workers
        if input_bytes is not None and input_bytes < AUTO_WORKERS_MIN_BYTES:
            return 1
        return min(available_cpus(), AUTO_WORKERS_MAX)


@dataclass(frozen=True)
class Config:
    """The whole job's settings, one section per stage."""

    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    io: IOConfig = field(default_factory=IOConfig)
    run: RunConfig = field(default_factory=RunConfig)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Config":
        sections = {f.name: f.type for f in dataclasses.fields(cls)}
        unknown = set(data) - set(sections)
        if unknown:
            raise ConfigError(f"unknown config section(s) {sorted(unknown)}; expected {sorted(sections)}")
        built = {}
        for f in dataclasses.fields(cls):
            section_cls = f.default_factory
            values = data.get(f.name, {})
            names = {g.name for g in dataclasses.fields(section_cls)}
            bad = set(values) - names
            if bad:
                raise ConfigError(f"[{f.name}]: unknown key(s) {sorted(bad)}; expected some of {sorted(names)}")
            try:
                built[f.name] = section_cls(**values)
            except TypeError as exc:
                raise ConfigError(f"[{f.name}]: {exc}") from exc
        return cls(**built)

    @classmethod
    def from_toml(cls, path: str | Path) -> "Config":
        import tomllib  # only for a config file: ~5 ms of every run's start-up otherwise

        try:
            with open(path, "rb") as fh:
                return cls.from_dict(tomllib.load(fh))
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc

    def replace(self, **sections: dict[str, Any]) -> "Config":
        """A copy with some keys of some sections changed: ``replace(dedup={'threshold': 0.9})``."""
        data = self.to_dict()
        for name, values in sections.items():
            data[name].update(values)
        return Config.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
