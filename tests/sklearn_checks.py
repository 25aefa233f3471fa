"""scikit-learn's estimator checks that cannot pass for a library that never imports
scikit-learn — one list, used by every ``parametrize_with_checks`` in the suite.

Every other check must pass: fromscratch's messages carry scikit-learn's phrases ("Reshape your
data", "is expecting N features as input", ...) so its checks can recognise them.
"""

EXPECTED_FAILED_CHECKS = {
    "check_estimators_unfitted": (
        "requires scikit-learn's own NotFittedError class; fromscratch raises "
        "fromscratch.exceptions.NotFittedError (a ValueError and an AttributeError, like "
        "scikit-learn's), because the library never imports scikit-learn"
    ),
}


def expected_failed_checks(estimator):
    """For ``parametrize_with_checks(..., expected_failed_checks=expected_failed_checks)``."""
    return EXPECTED_FAILED_CHECKS
