"""Estimator hyper-parameters as data: every estimator declares a rule for every parameter, and
``fit`` refuses a bad value of any of them with a message that names it.

The bad values come from the tables themselves (each rule lists values it rejects), so a new
estimator or parameter is covered as soon as it is declared, and one that is forgotten fails
``test_every_parameter_has_a_rule``.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import fromscratch.nn  # noqa: F401 - defines the MLP estimators (the others come below)
from fromscratch import _param_validation as rules
from fromscratch.base import BaseEstimator, ClassifierMixin, clone
from fromscratch.compose import ColumnTransformer, Pipeline
from fromscratch.linear_model import ElasticNet, Lasso, Ridge
from fromscratch.model_selection import GridSearchCV
from fromscratch.preprocessing import StandardScaler


def _estimator_classes() -> list[type]:
    """Every public estimator class of the library (the packages above are imported)."""
    found, todo = set(), [BaseEstimator]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.startswith("fromscratch.") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted((cls for cls in found if not cls.__name__.startswith("_")
                   and cls._param_names()), key=lambda cls: cls.__name__)


#: The arguments an estimator cannot do without.
_REQUIRED = {
    Pipeline: lambda: {"steps": [("scale", StandardScaler()), ("ridge", Ridge())]},
    ColumnTransformer: lambda: {"transformers": [("scale", StandardScaler(), [0, 1])]},
    GridSearchCV: lambda: {"estimator": Ridge(), "param_grid": {"alpha": [0.1, 1.0]}, "cv": 3},
}

ESTIMATORS = _estimator_classes()


def _make(cls: type) -> BaseEstimator:
    return cls(**_REQUIRED.get(cls, dict)())


def _data(estimator: BaseEstimator) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    if isinstance(estimator, ClassifierMixin):
        return X, (X[:, 0] > 0).astype(int)
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=30)


def _cases() -> list:
    cases = []
    for cls in ESTIMATORS:
        for name in cls._param_names():
            rule = cls._parameter_constraints.get(name)
            for k, value in enumerate(() if rule is None else rule.invalid_values()):
                cases.append(pytest.param(cls, name, value, id=f"{cls.__name__}-{name}-{k}"))
    return cases


def test_the_library_has_the_estimators_we_expect():
    names = {cls.__name__ for cls in ESTIMATORS}
    assert {"LinearRegression", "Ridge", "Lasso", "ElasticNet", "LassoCV", "ElasticNetCV",
            "RidgeCV", "LogisticRegression", "MLPClassifier", "MLPRegressor", "StandardScaler",
            "PolynomialFeatures", "OneHotEncoder", "Pipeline", "ColumnTransformer",
            "GridSearchCV"} <= names


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_every_parameter_has_a_rule(cls):
    params = set(cls._param_names())
    rules = set(cls._parameter_constraints)
    assert params <= rules, f"{cls.__name__}: no rule for {sorted(params - rules)}"
    # A rule without a parameter must be for an attribute that __init__ fixes (Lasso's
    # l1_ratio = 1): otherwise it checks nothing.
    fixed = rules - params
    estimator = _make(cls)
    assert all(hasattr(estimator, name) for name in fixed), sorted(fixed)


def test_subclasses_extend_the_table_of_their_parent():
    assert Lasso._parameter_constraints is ElasticNet._parameter_constraints
    assert Lasso().l1_ratio == 1.0 and "l1_ratio" not in Lasso().get_params()
    for cls in ESTIMATORS:
        for base in cls.__mro__[1:]:
            if issubclass(base, BaseEstimator):
                assert set(base._parameter_constraints) <= set(cls._parameter_constraints)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_the_defaults_pass_their_rules(cls):
    estimator = _make(cls)
    checked = estimator._validate_params()
    assert set(checked) == set(cls._parameter_constraints)


@pytest.mark.parametrize(("cls", "name", "value"), _cases())
def test_fit_refuses_a_bad_value_naming_the_parameter(cls, name, value):
    estimator = _make(cls)
    estimator.set_params(**{name: value})  # __init__ and set_params store anything
    clone(estimator)
    X, y = _data(estimator)
    with pytest.raises((TypeError, ValueError)) as error:
        estimator.fit(X, y)
    assert re.search(rf"\b{re.escape(name)}\b", str(error.value)), str(error.value)


def test_every_rule_lists_values_it_rejects():
    declared = {(cls.__name__, name): rule for cls in ESTIMATORS
                for name, rule in cls._parameter_constraints.items()}
    for (owner, name), rule in declared.items():
        assert rule.invalid_values(), (owner, name)
        for value in rule.invalid_values():
            with pytest.raises((TypeError, ValueError)):
                rule(value, name)


# -- the rules themselves -------------------------------------------------------------------


def test_interval():
    rule = rules.Interval(int, 1)
    assert rule(3, "max_iter") == 3 and isinstance(rule(np.int64(3), "max_iter"), int)
    with pytest.raises(ValueError, match=r"^max_iter must be in \[1, inf\); got 0\.$"):
        rule(0, "max_iter")
    with pytest.raises(TypeError, match="max_iter must be an int, got the boolean True"):
        rule(True, "max_iter")
    assert rule.description == "an int in [1, inf)"
    C = rules.Interval(float, 0.0, closed="neither", allow_inf=True)
    assert C(np.inf, "C") == np.inf and C.description == "a real number in (0, inf)"
    with pytest.raises(ValueError, match=r"C must be in \(0, inf\); got 0\.0"):
        C(0.0, "C")
    with pytest.raises(ValueError, match="closed must be one of"):
        rules.Interval(float, 0.0, closed="open")
    assert rules.Interval(float, 0.0, 1.0, closed="neither").invalid_values()[:2] == (0.0, 1.0)
    assert rules.Interval(float, 0.0, 1.0, closed="both").invalid_values()[:2] == (-1.0, 2.0)


def test_options_boolean_and_instance_of():
    rule = rules.Options("cyclic", "random")
    with pytest.raises(ValueError, match="selection must be one of 'cyclic', 'random'; got "
                                         "'randon'. Did you mean 'random'"):
        rule("randon", "selection")
    with pytest.raises(TypeError, match="selection must be one of 'cyclic', 'random'; got int"):
        rule(3, "selection")
    assert rules.flag(np.bool_(True), "positive") is True
    with pytest.raises(TypeError, match=r"positive must be True or False; got str 'yes' "
                                        r"\(positive must be a bool\)"):
        rules.flag("yes", "positive")
    with pytest.raises(TypeError, match="optimizer_params must be a dict; got list"):
        rules.InstanceOf(dict, "a dict")([1], "optimizer_params")


def test_or_none_and_any_of():
    tol = rules.OrNone(rules.Interval(float, 0.0))
    assert tol(None, "tol") is None and tol(1, "tol") == 1.0
    with pytest.raises(ValueError, match=r"tol must be in \[0, inf\)"):  # the inner message
        tol(-1.0, "tol")
    batch_size = rules.AnyOf(rules.Options("auto"), rules.Interval(int, 1))
    assert batch_size("auto", "batch_size") == "auto" and batch_size(8, "batch_size") == 8
    # Only one rule takes the value's kind: its own, more precise message.
    with pytest.raises(ValueError, match=r"batch_size must be in \[1, inf\); got 0"):
        batch_size(0, "batch_size")
    with pytest.raises(ValueError, match="Did you mean 'auto'"):
        batch_size("aut", "batch_size")
    # No rule takes it: the message lists every kind allowed.
    with pytest.raises(TypeError, match=r"batch_size must be one of 'auto' or an int in "
                                        r"\[1, inf\); got float 2\.5"):
        batch_size(2.5, "batch_size")


def test_check_and_random_state():
    rule = rules.Check(lambda value, name: value, "anything", invalid=(1,))
    assert rule(5, "x") == 5 and rule.invalid_values() == (1,)
    random_state = rules.RandomState()
    legacy = np.random.RandomState(0)
    before = legacy.get_state()[1].copy()
    assert random_state(legacy, "random_state") is legacy
    np.testing.assert_array_equal(legacy.get_state()[1], before)  # not drawn from
    with pytest.raises(ValueError, match="random_state must be a non-negative int; got -1"):
        random_state(-1, "random_state")
    with pytest.raises(TypeError, match="random_state must be None, a non-negative int"):
        random_state("seed", "random_state")


def test_fit_validates_not_init():
    model = Ridge(alpha=-1.0)  # stored as given, as scikit-learn requires
    assert model.alpha == -1.0 and clone(model).alpha == -1.0
    with pytest.raises(ValueError, match=r"alpha must be in \[0, inf\); got -1\.0"):
        model.fit(*_data(model))
