"""Run a whole job on this machine: read -> per-document steps (in worker
processes) -> corpus-wide dedup in input order -> sharded output.

Reading, dedup decisions and writing happen in the main process, in input order;
only the per-document work is spread over workers (``Pool.imap`` keeps order;
one worker means no pool: the steps run in this process). So the output does not
depend on ``workers``, ``batch_docs`` or ``block_bytes``.

With a pool, the main process cuts an uncompressed JSON-lines file into blocks of
whole lines (``block_bytes``, 1 MiB) and sends each as its offset and length (the
workers read, split and parse it, see ``read_tasks``), other files as batches of
items; the workers send back packed batches (``shard.pack_results``: the kept
record already serialized, signatures and shingle sets as single arrays). Items
are numbered (``seq``) as they come back, whatever the number of workers.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import multiprocessing.pool
import os
import shutil
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..config import Config
from ..document import Document, Quarantined
from ..text.native import utf8_len
from ..errors import AccountingError, BadInputError, ConfigError
from ..io.listing import InputFile, list_inputs
from ..io.readers import RawLine, Reader
from ..io.writer import ShardedWriter, clear_progress, run_fingerprint
from ..stats import Stats
from ..steps.linefreq_pass import count_common_lines
from ..steps.dedup import Deduper
from .workdir import WORK, use_disk
from .shard import init_worker, kept_record, pack_tasks, run_batch, run_worker_batch, unpack_results

if TYPE_CHECKING:
    from ..steps.paragraph_dedup import ParagraphDedup

Item = Document | Quarantined
OUTPUT_PARTS = ("kept", "removed", "quarantine")


class _Pool(multiprocessing.pool.Pool):
    """``multiprocessing.Pool`` whose worker-handler thread does not busy-wait while results are queued.

    The stock handler waits on the result pipe as well (``_get_sentinels``): from the moment a
    worker writes a result until the result-handler thread has read it, the pipe is readable
    and the handler loops without blocking (26,421 turns in a 4 s run on 160 MB; without them the
    main process used 1.1-1.2 CPU-s there instead of 1.6-1.7, on 2 cores shared with the workers).
    It only has to wake when a worker exits (the worker sentinels, which it waits on too) or
    the pool's state or cache changes (the change notifier): what
    ``multiprocessing.pool.ThreadPool`` waits on.
    """

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]

    def widen_result_pipe(self, size: int = 1 << 20) -> None:
        """Let the pipe the workers send their results through hold ``size`` bytes, at most the
        system's ``/proc/sys/fs/pipe-max-size`` (Linux; elsewhere a no-op).

        A packed batch is ~1-2 MB (the kept records, signatures, shingle sets): through the default
        64 KiB pipe a worker and the result thread took turns ~25 times per batch (2,400 voluntary
        context switches on 55 MB; ~430 with 1 MiB, the default maximum).
        """
        try:
            import fcntl

            with open("/proc/sys/fs/pipe-max-size") as fh:
                size = min(size, int(fh.read()))
            # (a size past a C int would wrap and shrink the pipe to one page)
            fcntl.fcntl(self._outqueue._reader.fileno(), fcntl.F_SETPIPE_SZ, min(size, 1 << 30))
        except (ImportError, AttributeError, OSError, ValueError):  # not Linux, another Pool layout, a limit
            pass


#: Items between two progress updates inside one file.
PROGRESS_EVERY = 64
#: Blocks' worth of input, at the end of a run, sent in quarter blocks (``read_tasks``).
TAPER_BLOCKS = 4


def read_items(files: list[InputFile], config: Config, progress: Callable[[int], None] | None = None,
               reader: Reader | None = None) -> Iterator[Item]:
    """All items of all files in order (``LocalExecutor._documents`` numbers them, ``seq``)."""
    reader = reader or Reader(config.io.text_field, config.io.id_field, config.io.max_record_bytes)
    count = 0
    for f in files:
        reported = 0
        for item in reader.read(f):
            count += 1
            yield item
            if progress and count % PROGRESS_EVERY == 0:
                position = reader.tell()
                if position > reported:
                    progress(position - reported)
                    reported = position
        if progress:
            try:
                progress(max(f.path.stat().st_size - reported, 0))
            except OSError:  # the file vanished while we read it: its items are already accounted for
                pass


def read_tasks(files: list[InputFile], config: Config, progress: Callable[[int], None] | None,
               reader: Reader) -> Iterator[tuple]:
    """The worker tasks of all files in order (see ``shard.unpack_tasks``).

    An uncompressed JSON-lines file goes as blocks of whole lines of about
    ``config.run.block_bytes`` (``Reader.read_blocks``), each sent as its offset and
    length, which the worker reads itself (``readers.read_range``): this process reads
    the bytes once to cut and count lines, makes no object per line and sends no line;
    the workers split the blocks. Other files (``.txt``, compressed) and the items
    ``read_blocks`` yields itself (errors, over-long lines) go as batches of at most
    ``batch_docs`` items (``shard.pack_tasks``). Items are numbered (``seq``) by the
    main process as they come back, in this order.
    """
    pending: list[Item] = []
    size = config.run.batch_docs
    # The last TAPER_BLOCKS blocks' worth of input goes in blocks a quarter of the size: the
    # workers then finish within a small block of each other instead of one idling for up to a
    # whole block at the end (16 ms of a 55 MB run measured with 1 MiB blocks). Only the files
    # of that tail are looked at: small_from[k] is where file k's small blocks start.
    taper = TAPER_BLOCKS * config.run.block_bytes
    small_from: dict[int, int] = {}
    after = 0  # input bytes after file k
    for k in range(len(files) - 1, -1, -1):
        if after >= taper:
            break
        try:
            file_size = files[k].path.stat().st_size
        except OSError:
            file_size = 0
        small_from[k] = file_size - (taper - after)
        after += file_size
    for k, f in enumerate(files):
        if f.kind == "jsonl" and f.compression is None:
            reported = 0
            path = os.path.abspath(f.path)  # a regular file (list_inputs): a worker can read it at an offset
            for part in reader.read_blocks(f, config.run.block_bytes, small_from.get(k),
                                           max(config.run.block_bytes // 4, 1)):
                if type(part) is tuple:
                    if pending:
                        yield pack_tasks(pending)
                        pending = []
                    source, file_no, first_line, data, offset = part
                    # the worker reads the block itself: no copy of it through the pipe
                    yield "range", (source, file_no, first_line, path, offset, len(data))
                    if progress:
                        progress(len(data))
                        reported += len(data)
                else:
                    pending.append(part)
            if progress:  # the rest: over-long lines, which are in no block
                try:
                    progress(max(f.path.stat().st_size - reported, 0))
                except OSError:
                    pass
        else:
            for item in read_items([f], config, progress, reader):
                pending.append(item)
                if len(pending) >= size:
                    yield pack_tasks(pending)
                    pending = []
    if pending:
        yield pack_tasks(pending)


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def removed_record(doc: Document) -> dict:
    return {
        "id": doc.id,
        "reason": doc.reason,
        "duplicate_of": doc.duplicate_of,
        "similarity": doc.similarity,
        "source": doc.source,
        "line": doc.line,
    }


#: Prefix of the names an old output's parts are moved to while they are deleted (``prepare_output``).
TRASH = ".trash-"


def prepare_output(out: Path, overwrite: bool, resume: bool = False) -> threading.Thread | None:
    """Refuse to mix a new run into an old output unless asked to overwrite it or to resume it.

    ``resume`` keeps the completed shards (the writers verify and reuse them) and
    drops only scratch state, which is recomputed.

    With ``overwrite`` the old parts are renamed out of the way at once and deleted by a
    background thread, returned for the run to join before it ends: unlinking a 41 MB
    shard took 10-13 ms of the serial start of every benchmark run (the kernel frees it
    on the other core meanwhile). Parts a killed run left in the trash go with them.
    """
    remover = None
    if out.exists() and any(out.iterdir()):
        if resume:
            shutil.rmtree(out / WORK, ignore_errors=True)
            return None
        if not overwrite:
            raise ConfigError(f"output directory {out} exists and is not empty; pass --overwrite to replace it "
                              "or --resume to finish an interrupted run")
        clear_progress(out)
        trash = [p for p in out.iterdir() if p.name.startswith(TRASH)]
        for part in (*OUTPUT_PARTS, "stats.json", "audit", "linefreq", "clusters.jsonl", WORK):
            target = out / part
            if target.exists():
                moved = out / f"{TRASH}{os.getpid()}-{part}"
                target.replace(moved)
                trash.append(moved)
        if trash:
            remover = threading.Thread(target=_remove, args=(trash,), name="remove-old-output", daemon=True)
            remover.start()
    out.mkdir(parents=True, exist_ok=True)
    return remover


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def paragraph_dedup(stats: Stats, config: Config) -> ParagraphDedup | None:
    """Cross-document paragraph dedup when the config turns it on; its module (and numpy) is imported only then."""
    if not config.dedup.paragraph_dedup:
        return None
    from ..steps.paragraph_dedup import ParagraphDedup

    return ParagraphDedup(stats, config)


class LocalExecutor:
    """Runs the pipeline with ``config.run.resolved_workers(input bytes)`` processes (1: in this process)."""

    def __init__(self, config: Config, log: Callable[[str], None] | None = None) -> None:
        self.config = config
        self.log = log or (lambda msg: print(msg, file=sys.stderr))
        self.stats = Stats()
        self._warned = 0
        #: Processes of the run (``run`` sets it from the input size; see ``RunConfig.resolved_workers``).
        self.workers = config.run.resolved_workers()

    def warn(self, message: str) -> None:
        """One line per problem, rate limited so a broken file cannot flood the terminal."""
        self._warned += 1
        if self._warned <= 20 and not self.config.run.quiet:
            self.log(message)
        elif self._warned == 21 and not self.config.run.quiet:
            self.log("warning: more problems; see quarantine/ for every record that could not be read")

    def run(self, inputs: list[str | Path], output: str | Path) -> dict:
        cfg = self.config
        start = time.perf_counter()
        out = Path(output)
        files = list_inputs(inputs, warn=self.warn)
        if not files:
            raise ConfigError(f"no readable input files (.txt, .jsonl, .ndjson, .json) under {', '.join(map(str, inputs))}")
        remover = prepare_output(out, cfg.run.overwrite, cfg.run.resume)
        if cfg.boilerplate.strip and cfg.boilerplate.linefreq:
            cfg = self.config = cfg.replace(boilerplate={"common_lines": str(count_common_lines(files, cfg, out))})
        total = sum(f.path.stat().st_size for f in files)
        self.workers = cfg.run.resolved_workers(total)
        fingerprint = run_fingerprint(files, cfg.to_dict())
        reader = self.reader = Reader(cfg.io.text_field, cfg.io.id_field, cfg.io.max_record_bytes, warn=self.warn)
        reader.raw_lines = True  # workers parse JSON lines; see _documents
        show = not cfg.run.quiet and sys.stderr.isatty()
        with ExitStack() as stack:
            if remover is not None:  # the old output is gone when the run returns (or fails): joined last
                stack.callback(remover.join)
            progress = None
            if show:  # tqdm imported only for a bar: ~20-30 ms of every run's serial start-up otherwise
                from tqdm import tqdm

                progress = stack.enter_context(tqdm(total=total, unit="B", unit_scale=True, desc="dedupe")).update
            writers = {p: stack.enter_context(ShardedWriter(out / p, cfg.io.shard_docs, cfg.io.compression,
                                                            resume=cfg.run.resume, fingerprint=fingerprint))
                       for p in OUTPUT_PARTS}
            results = self._processed(files, progress, stack)
            disk = use_disk(cfg, total)
            mode = "clustered" if cfg.dedup.near and (cfg.dedup.clustered or disk) else "streaming"
            if mode == "clustered":
                self._consume_clustered(results, writers, out, disk)
            else:
                self._consume(results, writers)
        stats = self.stats
        seconds = time.perf_counter() - start
        result = {**stats.to_dict(),
                  "dedup_mode": mode, "dedup_index": "disk" if mode == "clustered" and disk else (
                      "datasketch" if cfg.dedup.backend == "datasketch" and mode == "streaming" else "memory"),
                  "input_notes": dict(sorted(reader.notes.items())),
                  "shards_reused": sum(w.shards_reused for w in writers.values()),
                  "seconds": round(seconds, 3), "files": len(files), "workers": self.workers,
                  "settings": cfg.to_dict()}
        if cfg.dedup.paragraph_dedup:  # of paragraphs_removed_across_documents, those removed as near (not exact) copies
            from ..steps.paragraph_dedup import NEAR_COUNTER

            result["paragraphs_near_removed_across_documents"] = stats.counters[NEAR_COUNTER]
        (out / "stats.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        if not stats.accounted():
            raise AccountingError(
                f"documents in ({stats.counters['documents_in']}) != kept + removed + quarantined; see {out / 'stats.json'}"
            )
        return result

    def _processed(self, files: list[InputFile], progress: Callable[[int], None] | None,
                   stack: ExitStack) -> Iterator[tuple[list[Item], Stats]]:
        """Batches of processed items in input order: in this process (one worker), else by a pool
        fed with ``read_tasks``."""
        cfg = self.config
        if self.workers == 1:
            chunks = batches(read_items(files, cfg, progress, self.reader), cfg.run.batch_docs)
            return (run_batch(b, cfg) for b in chunks)
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        pool = stack.enter_context(_Pool(self.workers, initializer=init_worker, initargs=(cfg,), context=ctx))
        pool.widen_result_pipe()
        results = pool.imap(run_worker_batch, read_tasks(files, cfg, progress, self.reader), chunksize=1)
        return ((unpack_results(packed), batch_stats) for packed, batch_stats in results)

    def _consume(self, results: Iterable[tuple[list[Item], Stats]], writers: dict[str, ShardedWriter]) -> None:
        """Streaming mode: each document is decided (first seen survives) and written as it arrives."""
        paragraphs = paragraph_dedup(self.stats, self.config)
        deduper = Deduper(self.stats, self.config, paragraphs.apply if paragraphs else None)
        emit = self._emitter(writers, paragraphs=None)
        decide = deduper.decide
        for doc in self._documents(results, writers):
            if doc.reason is None:
                decide(doc)
            emit(doc)
        emit(None)

    def _consume_clustered(self, results: Iterable[tuple[list[Item], Stats]], writers: dict[str, ShardedWriter],
                           out: Path, disk: bool) -> None:
        """Clustered mode: spill everything, cluster, then write in input order (see ``clustered.py``)."""
        from .clustered import ClusteredDedup  # (numpy: imported only for this mode)

        clustered = ClusteredDedup(self.stats, self.config, out, disk)
        try:
            for doc in self._documents(results, writers):
                clustered.add(doc)
            clustered.resolve()
            paragraphs = paragraph_dedup(self.stats, self.config)
            emit = self._emitter(writers, paragraphs, clustered.survivors())
            for doc in clustered.replay():
                emit(doc)
            emit(None)
        finally:
            clustered.cleanup()

    def _documents(self, results: Iterable[tuple[list[Item], Stats]], writers: dict[str, ShardedWriter]) -> Iterator[Document]:
        """Documents in input order; quarantined items are written on the way and counted."""
        stats, reader = self.stats, self.reader
        counters = stats.counters
        seq = 0
        for items, batch_stats in results:
            stats.merge(batch_stats)
            for item in items:
                counters["documents_in"] += 1
                if type(item) is RawLine:  # the workers' fast path left it: parse it here, in input order
                    item = reader.parse_raw(item)
                    if isinstance(item, Document):
                        stats.merge(run_batch([item], self.config)[1])
                elif isinstance(item, Document) and not item.registered:
                    reader.register(item)
                item.seq = seq  # the input position: items are numbered only here
                seq += 1
                if isinstance(item, Quarantined):
                    self._quarantine(item, writers["quarantine"])
                    continue
                counters["bytes_in"] += item.bytes_in
                yield item

    def _emitter(self, writers: dict[str, ShardedWriter], paragraphs: ParagraphDedup | None = None,
                 survivors: frozenset[int] = frozenset()) -> Callable[[Document | None], None]:
        """Writes one decided document (``paragraphs`` applied to kept ones first); ``None`` closes the audit.

        A cluster survivor (its ``seq`` in ``survivors``) is never removed by paragraph dedup: others name it.
        """
        cfg, counters = self.config, self.stats.counters
        kept, removed = writers["kept"], writers["removed"]
        audit = _AuditWriter(kept.directory.parent, kept.resume, kept.fingerprint) if cfg.boilerplate.audit else None

        def emit(item: Document | None) -> None:
            if item is None:
                if audit:
                    audit.close()
                return
            if paragraphs and item.reason is None:
                paragraphs.apply(item, removable=item.seq not in survivors)
            if item.reason is not None:
                removed.write(removed_record(item))
            else:
                counters["documents_kept"] += 1
                if item.payload is not None:  # serialized by the worker
                    counters["bytes_out"] += item.bytes_out
                    kept.write_line(item.payload)
                else:
                    counters["bytes_out"] += utf8_len(item.text)
                    kept.write(kept_record(item, cfg))
            if audit and item.audit:
                audit.write(item)

        return emit

    def _quarantine(self, item: Quarantined, writer: ShardedWriter) -> None:
        where = f"{item.source}:{item.line}" if item.line is not None else item.source
        if self.config.run.strict:
            raise BadInputError(item.source, item.line, item.error)
        self.stats.add("documents_quarantined")
        self.warn(f"warning: {where}: {item.error} (quarantined)")
        writer.write(item.to_record())


class _AuditWriter:
    """``audit/stripped.jsonl``: every stripped line with its document and rule.

    A paragraph the in-document repeat stage removed (rules ``repeat`` and ``near_repeat``)
    also carries ``repeat_of``, the line of the paragraph it repeats (both counted in the
    cleaned text before stripping, like ``line``), when the stage names one.
    Paragraphs removed by paragraph dedup (rules ``paragraph_duplicate`` and
    ``paragraph_near_duplicate``) also carry ``duplicate_of`` and ``similarity``; their
    ``line`` counts lines of the text after stripping.
    """

    def __init__(self, out: Path, resume: bool = False, fingerprint: str = "") -> None:
        self.writer = ShardedWriter(out / "audit", 1_000_000, resume=resume, fingerprint=fingerprint)

    def write(self, doc: Document) -> None:
        for line_no, rule, text, *extra in doc.audit:
            record = {"id": doc.id, "line": line_no, "rule": rule, "text": text}
            for more in extra:
                record.update(more)
            self.writer.write(record)

    def close(self) -> None:
        self.writer.close()
