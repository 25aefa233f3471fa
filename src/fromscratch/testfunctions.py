"""Deprecated name of :mod:`fromscratch.benchfunctions`, kept for one release.

The module of two-dimensional optimization test functions was renamed ``benchfunctions``
(benchmark functions) because ``testfunctions`` reads like helpers for the test suite. Importing
this name still works: it warns (``FutureWarning``) and gives the very module
:mod:`fromscratch.benchfunctions`, so every object is the same. Import
``fromscratch.benchfunctions`` instead.
"""

import sys
import warnings

from fromscratch import benchfunctions

warnings.warn(
    "fromscratch.testfunctions was renamed fromscratch.benchfunctions; the old name will be "
    "removed in the next release. Import fromscratch.benchfunctions instead.",
    FutureWarning,
    stacklevel=2,
)
sys.modules[__name__] = benchfunctions
