"""arabic-dedupe: clean and deduplicate Arabic text corpora for ML training.

Python API::

    import dedupe
    dedupe.run("corpus/", "out/")                       # a whole job, like the CLI
    for rec in dedupe.deduplicate(records): ...         # streaming, same decisions
    dedupe.clean(text), dedupe.match_key(text)          # the two normalization products
"""
import gc as _gc

# The imports below (the tables, the compiled patterns, the dataclasses) allocate objects that all stay: the
# cyclic collector ran 22 times during them and freed nothing, ~3 ms of every run's serial start-up (47 times,
# 8-10 ms, while they still imported numpy).
# It is off while they run and back on after (unless the host program had it off); the command line
# then freezes them (``cli.entry``), so that no later pass looks at them either.
_collecting = _gc.isenabled()
_gc.disable()
try:
    from .api import deduplicate, run
    from .config import Config
    from .errors import DedupeError
    from .text.normalize import clean, match_key
finally:
    if _collecting:
        _gc.enable()

__all__ = ["Config", "DedupeError", "clean", "deduplicate", "match_key", "run"]
__version__ = "0.1.0"
