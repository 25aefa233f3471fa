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

# Not warn_at_caller: a deprecation names the line that imports the old name, the line to
# change, even where that line is in fromscratch; stacklevel=2 is that line, as warnings.warn
# skips the import machinery's frames in between.
warnings.warn(
    "fromscratch.testfunctions was renamed fromscratch.benchfunctions; the old name will be "
    "removed in the next release. Import fromscratch.benchfunctions instead.",
    FutureWarning,
    stacklevel=2,
)
sys.modules[__name__] = benchfunctions
