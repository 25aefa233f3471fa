"""Hypothesis profiles: random examples when developers run the tests (new edge cases keep
turning up, and failures are replayed from the local example database), the same examples on
every CI run (FROMSCRATCH_CI=1, set by .ci/run), so that a submission's verdict does not depend
on the draw."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
if os.environ.get("FROMSCRATCH_CI") == "1":
    settings.load_profile("ci")
