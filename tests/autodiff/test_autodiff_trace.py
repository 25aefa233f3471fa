"""Evaluation traces against the worked example of Baydin et al. (2018), Tables 2 and 3.

f(x1, x2) = ln(x1) + x1 x2 - sin(x2) at (x1, x2) = (2, 5), written in the survey's order:
v1 = ln v-1, v2 = v-1 x v0, v3 = sin v0, v4 = v1 + v2, v5 = v4 - v3.
The tables print three decimals; we compare to that precision and to the exact values.
"""

from __future__ import annotations

import numpy as np
import pytest

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff.trace import trace


def baydin(x1, x2):
    v1 = anp.log(x1)
    v2 = x1 * x2
    v3 = anp.sin(x2)
    v4 = v1 + v2
    return v4 - v3


# Baydin et al. (2018), Table 2 (forward primal and tangent trace, seed x1' = 1) and
# Table 3 (reverse adjoint trace, y-bar = 1), values as printed (three decimals).
SURVEY = {  # variable: (expression, value, tangent, adjoint)
    -1: ("x_1", 2.0, 1.0, 5.5),
    0: ("x_2", 5.0, 0.0, 1.716),
    1: ("log(v_-1)", 0.693, 0.5, 1.0),
    2: ("v_-1 * v_0", 10.0, 5.0, 1.0),
    3: ("sin(v_0)", -0.959, 0.0, -1.0),
    4: ("v_1 + v_2", 10.693, 5.5, 1.0),
    5: ("v_4 - v_3", 11.652, 5.5, 1.0),
}


def test_trace_reproduces_the_survey_tables():
    t = trace(baydin, 2.0, 5.0)
    assert [v.index for v in t.variables] == list(SURVEY)
    for v in t.variables:
        expression, value, tangent, adjoint = SURVEY[v.index]
        assert v.expression == expression
        assert round(float(v.value), 3) == pytest.approx(value, abs=1e-12)
        assert round(float(v.tangent), 3) == pytest.approx(tangent, abs=1e-12)
        assert round(float(v.adjoint), 3) == pytest.approx(adjoint, abs=1e-12)
    # exact values behind the rounded ones
    assert float(t.variables[0].adjoint) == 5.5  # v0 + 1/v-1 = 5 + 1/2
    assert float(t.variables[1].adjoint) == pytest.approx(2 - np.cos(5.0), rel=1e-15)
    assert float(t.output.tangent) == 5.5


def test_trace_seed_on_the_second_input_gives_the_other_partial():
    t = trace(baydin, 2.0, 5.0, tangents=(0.0, 1.0))
    assert float(t.output.tangent) == pytest.approx(2 - np.cos(5.0), rel=1e-15)


def test_trace_table_dot_and_layout():
    t = trace(baydin, 2.0, 5.0)
    text = str(t)
    assert "v_-1 * v_0" in text and "5.5" in text and "1.716" in text
    dot = t.to_dot()
    assert dot.startswith("digraph") and '"v_-1" -> "v_1";' in dot and '"v_3" -> "v_5";' in dot
    assert len(t.edges()) == 8
    assert t.depths() == {-1: 0, 0: 0, 1: 1, 2: 1, 3: 1, 4: 2, 5: 3}
    assert len(t.rows()) == 7 and len(t.rows()[0]) == len(t.COLUMNS)


def test_trace_of_array_function_and_errors():
    t = trace(lambda x: anp.sum(anp.tanh(x) * 2), np.array([1.0, 2.0]))
    np.testing.assert_allclose(t.variables[0].adjoint, 2 * (1 - np.tanh([1.0, 2.0]) ** 2))
    assert t.variables[1].expression == "tanh(v_0)"
    assert t.variables[2].expression == "v_1 * 2"
    with pytest.raises(ValueError, match="does not depend"):
        trace(lambda x: np.float64(1.0), 1.0)
    with pytest.raises(ValueError, match="cotangent"):
        trace(lambda x: x * 2, np.ones(2))
    with pytest.raises(ValueError, match="one tangent per input"):
        trace(baydin, 2.0, 5.0, tangents=(1.0,))
    with pytest.raises(ValueError, match="point"):
        trace(baydin)
