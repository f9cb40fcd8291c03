"""arabic-dedupe: clean and deduplicate Arabic text corpora for ML training.

Python API::

    import dedupe
    dedupe.run("corpus/", "out/")                       # a whole job, like the CLI
    for rec in dedupe.deduplicate(records): ...         # streaming, same decisions
    dedupe.clean(text), dedupe.match_key(text)          # the two normalization products
"""
from .api import deduplicate, run
from .config import Config
from .errors import DedupeError
from .text.normalize import clean, match_key

__all__ = ["Config", "DedupeError", "clean", "deduplicate", "match_key", "run"]
__version__ = "0.1.0"
