"""The examples in the docstrings are true: each module's doctests run."""
import doctest
import importlib
import pkgutil

import pytest

import dedupe

MODULES = sorted(m.name for m in pkgutil.walk_packages(dedupe.__path__, "dedupe.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
