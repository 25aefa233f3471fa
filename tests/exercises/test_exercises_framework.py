"""The exercise framework: the registry, bad input (each a clear report, never a traceback from
the grader), a library left as it was, reports and their figures, progress, loading files."""

from __future__ import annotations

import re
import threading
import time
import warnings

import numpy as np
import pytest

from fromscratch import exercises, optim
from fromscratch._kernels import is_replaceable, replaced
from fromscratch.autodiff import Tensor
from fromscratch.exercises._registry import CHAPTERS, topic_order
from fromscratch.exercises._sandbox import LoadError, load_function
from fromscratch.nn import backprop
from fromscratch.nn.backprop import FeedForwardNetwork


def test_the_registry():
    everything = exercises.all()
    assert len(everything) >= 30
    assert [e.name for e in everything] == exercises.names()
    assert len(set(exercises.names())) == len(everything)
    assert [topic_order(e) for e in everything] == sorted(topic_order(e) for e in everything)
    position = {e.name: i for i, e in enumerate(everything)}
    for e in everything:
        assert e.name == e.reference.__name__
        assert re.fullmatch(r"[A-I]\d+", e.chapter) and e.chapter[0] in CHAPTERS
        assert e.hints and e.mistakes and e.outputs and e.title
        assert len({m.name for m in e.mistakes}) == len(e.mistakes)
        for required in e.requires:  # earlier ones of the same chapter only
            assert position[required] < position[e.name], (e.name, required)
            assert exercises.get(required).chapter[0] == e.chapter[0]
        imported = {name for line in e.imports for name in re.findall(r"\w+", line)
                    if name in position and name != e.name}
        for name in imported:  # a stub builds on earlier exercises' functions only
            assert position[name] < position[e.name], (e.name, name)


def test_every_exercise_runs_inside_the_library():
    """Besides the comparison with the reference, each exercise's function is run by the
    library where it belongs (an estimator, solver, network, optimizer or the autodiff
    engine) and compared with the library's own result."""
    for e in exercises.all():
        assert any(c.name.startswith(("in the library:", "in the engine:")) for c in e.checks), \
            e.name


def test_each_grading_draws_fresh_inputs():
    reference = exercises.get("sigmoid").reference
    seeds = {exercises.check("sigmoid", reference).seed for _ in range(3)}
    assert len(seeds) == 3


def test_every_chapter_with_algorithms_has_exercises():
    """Linear regression to neural networks: each chapter of the curriculum that teaches an
    algorithm has its functions as exercises, those the issue names among them."""
    assert {e.chapter[0] for e in exercises.all()} == set("BCDEFGHI")
    assert {"ols_gradient", "gradient_descent_update", "householder_reflector",
            "back_substitution", "ridge_gradient", "soft_threshold", "coordinate_descent_sweep",
            "sigmoid", "logistic_gradient", "irls_step", "dual_multiply", "dual_divide",
            "tanh_vjp", "reverse_sweep", "dense_forward", "dense_backward",
            "softmax_cross_entropy", "rosenbrock_gradient"} <= set(exercises.names())


def test_every_optimizer_update_of_the_curriculum_is_an_exercise():
    optimizers = [e for e in exercises.all() if e.chapter.startswith("G")]
    assert {e.chapter for e in optimizers} == {f"G{i}" for i in range(2, 11)}


def test_an_unknown_name_lists_close_names():
    with pytest.raises(ValueError, match="Did you mean 'adam_update'") as info:
        exercises.get("adam_updat")
    assert "sigmoid" in str(info.value)  # and every name
    with pytest.raises(ValueError, match="there is no exercise 'zzz'\\. The exercises"):
        exercises.check("zzz", print)
    with pytest.raises(TypeError, match="name must be"):
        exercises.get(3)


# -- bad input: a report, never a traceback ---------------------------------------------------


def _failure(report):
    assert not report.passed
    return str(report)


def test_not_a_function():
    assert "must be a function; got int 3" in _failure(exercises.check("sigmoid", 3))


def test_a_function_with_other_parameters():
    text = _failure(exercises.check("adam_update", lambda theta, g: theta))
    assert "cannot be called as the exercise calls it" in text
    assert "adam_update(theta, g, m, v, t, *, lr=0.001" in text


def test_a_function_that_raises_shows_its_line():
    def softmax(z):
        return z / undefined_name  # noqa: F821

    text = _failure(exercises.check("softmax", softmax))
    assert "your function raised NameError: name 'undefined_name' is not defined" in text
    assert "test_exercises_framework.py, line" in text and "undefined_name" in text


def test_a_wrong_shape():
    text = _failure(exercises.check("sigmoid", lambda z: np.zeros(3), seed=0))
    assert "sigma: yours has shape (3,); it must have shape" in text


def test_nan():
    text = _failure(exercises.check("sigmoid", lambda z: z * np.nan))
    assert re.search(r"sigma: yours has nan at index .*, where the target is", text)


def test_an_overflow_is_an_error_not_an_inf():
    def softmax(z):
        return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)

    text = _failure(exercises.check("softmax", softmax, seed=0))
    assert "FloatingPointError: overflow encountered in exp" in text


def test_float32_must_stay_float32():
    text = _failure(exercises.check("sigmoid", lambda z: backprop.sigmoid(z.astype(float)),
                                    seed=0))
    assert "yours is float64; it must be float32 like the inputs" in text


def test_a_tuple_of_one_and_a_list_of_arrays():
    """gradient_descent_update returns (theta,), reverse_sweep a list of arrays: the report
    says what the structure must be."""
    text = _failure(exercises.check("gradient_descent_update",
                                    lambda theta, g, *, lr: theta - lr * g))
    assert "it must return a tuple of one value, (theta,)" in text
    assert "known mistake (not_a_tuple)" in text
    text = _failure(exercises.check("reverse_sweep", lambda values, parents, vjps, seed: seed))
    assert "adjoints: yours is one" in text and "it must be a list of" in text
    text = _failure(exercises.check(
        "reverse_sweep", lambda values, parents, vjps, seed: [seed] * (len(values) + 1)))
    assert "adjoints: yours has" in text and "values; it must have" in text


def test_none_and_the_wrong_number_of_values():
    assert "yours is None, not an array" in _failure(exercises.check("sigmoid", lambda z: None))
    text = _failure(exercises.check("rmsprop_update", lambda theta, g, v, **h: theta))
    assert "it returned one array" in text and "it must return 2 values: theta, v" in text


def test_changing_an_argument_in_place_is_named():
    def adagrad_update(theta, g, s, *, lr, eps):
        s += g**2
        return theta - lr * g / (np.sqrt(s) + eps), s

    assert "changed one of its arguments in place" in _failure(
        exercises.check("adagrad_update", adagrad_update))


def _grading_threads():
    return [t for t in threading.enumerate() if t.name == "fromscratch-exercise-check"]


def test_a_function_that_runs_too_long_is_stopped():
    def sigmoid(z):
        while True:
            pass

    start = time.perf_counter()
    text = _failure(exercises.check("sigmoid", sigmoid, timeout=0.3))
    assert time.perf_counter() - start < 5
    assert "stopped: it took longer than 0.3 s" in text
    deadline = time.perf_counter() + 5  # the abandoned thread is told to stop, and does
    while _grading_threads() and time.perf_counter() < deadline:
        time.sleep(0.05)
    assert not _grading_threads()


# -- the library is left as it was ---------------------------------------------------------------


def _network_results():
    net = FeedForwardNetwork([3, 4, 2], "logistic", "cross_entropy", random_state=0)
    X, y = np.random.default_rng(0).normal(size=(8, 3)), np.arange(8) % 2
    loss, grad_W, grad_b = net.loss_and_gradients(X, y)
    return [np.float64(loss), *grad_W, *grad_b, net.forward(X)]


def _assert_same(a, b):
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("name, wrong", [
    ("sigmoid", lambda z: 0 * z),
    ("dense_backward", lambda delta, A_prev, W: (delta @ W, A_prev.T @ delta, delta.sum(0))),
    ("softmax_cross_entropy", lambda Z, Y: (np.sum(Z), 1 / 0)),
])
def test_a_failed_grading_leaves_the_network_as_it_was(name, wrong):
    before = _network_results()
    assert not exercises.check(name, wrong).passed
    _assert_same(_network_results(), before)


def test_a_timeout_inside_the_library_leaves_nothing_behind():
    """The learner's sigmoid hangs only when the network calls it: the grading thread is
    abandoned inside ``replaced(sigmoid, ...)``, which belongs to that thread alone."""
    before = _network_results()

    def sigmoid(z):
        while z.ndim == 2 and z.shape[0] == 16:
            pass
        return backprop.sigmoid(z)

    report = exercises.check("sigmoid", sigmoid, timeout=0.5)
    assert report.records[1].passed and "stopped" in report.records[-1].message
    _assert_same(_network_results(), before)
    assert backprop.sigmoid(np.array([0.0]))[0] == 0.5


def _linear_models():
    from fromscratch.linear_model import Lasso, LinearRegression, Ridge

    X, y = np.random.default_rng(0).normal(size=(40, 4)), np.arange(40.0) % 7
    return [LinearRegression(solver="gd", learning_rate=0.5).fit(X, y).coef_,
            LinearRegression(solver="qr").fit(X, y).coef_,
            Ridge(alpha=1.0, solver="gd", learning_rate=0.5).fit(X, y).coef_,
            Lasso(alpha=0.1).fit(X, y).coef_, Lasso(alpha=0.1, solver="fista").fit(X, y).coef_]


def _solvers():
    from fromscratch.linalg import qr_textbook, solve_triangular
    from fromscratch.linear_model import enet_coordinate_descent_textbook
    from fromscratch.linear_model.logistic import newton_irls

    rng = np.random.default_rng(1)
    X, T = rng.normal(size=(30, 3)), np.triu(rng.normal(size=(20, 20))) + 5 * np.eye(20)
    return [*qr_textbook(X), solve_triangular(T, X[:20]),
            enet_coordinate_descent_textbook(X, X[:, 0] + 0.5, 0.1)[0],
            newton_irls(X, (X[:, 0] > 0).astype(float))[0]]


def _autodiff():
    import fromscratch.autodiff.numpy as anp
    from fromscratch.autodiff import grad, jvp, trace

    f = lambda x, y: anp.sum(anp.tanh(x * y) / (1 + y * y))  # noqa: E731
    x, y = np.array([0.5, -1.0]), np.array([2.0, 0.3])
    t = trace(f, x, y, tangents=(y, x))  # both inputs move: every parent's term counts
    return [grad(f)(x, y), *jvp(f, (x, y), (y, x)), *(v.tangent for v in t.variables),
            *(v.adjoint for v in t.variables)]


def _optimizer_paths():
    """Twenty steps of every optimizer of the curriculum on 2|w|^2 (the exercises' G topics)."""
    paths = []
    for make in (lambda p: optim.SGD(p, lr=0.1), lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
                 lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
                 lambda p: optim.Adam(p, lr=0.1), lambda p: optim.RMSprop(p, lr=0.1),
                 lambda p: optim.Adagrad(p, lr=0.1), lambda p: optim.Adadelta(p),
                 lambda p: optim.Adamax(p, lr=0.1), lambda p: optim.NAdam(p, lr=0.1),
                 lambda p: optim.AdamW(p, lr=0.1)):
        w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
        opt = make([w])
        for _ in range(20):
            w.grad = 4 * w.data
            opt.step()
        paths.append(w.data.copy())
    return paths


def _test_functions():
    from fromscratch import benchfunctions
    from fromscratch.autodiff import grad

    point = np.array([-1.2, 1.0])
    return [grad(benchfunctions.get(name))(point) for name in ("rosenbrock", "himmelblau")]


def _kernel_results():
    """Every exercise's library function, called directly on one fixed draw of its inputs."""
    results = []
    for exercise in exercises.all():
        out = exercise.sample(np.random.default_rng(0)).call(exercise.reference)
        for value in out if isinstance(out, tuple | list) else (out,):
            results += list(value) if isinstance(value, list) else [value]
    return results


def _library():
    return [*_linear_models(), *_solvers(), *_autodiff(), *_network_results(),
            *_optimizer_paths(), *_test_functions(), *_kernel_results()]


def _differs(a, b):
    return len(a) != len(b) or any(
        np.shape(x) != np.shape(y) or not np.array_equal(x, y, equal_nan=True)
        for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("name", [n for n in exercises.names()
                                  if is_replaceable(exercises.get(n).reference)])
def test_the_library_snapshot_would_see_a_replacement_left_behind(name):
    """The next test can fail: were a kernel's replacement by the mistake left in place, the
    snapshot of the library would change (or the library would refuse to run)."""
    exercise = exercises.get(name)
    before = _library()
    with (np.errstate(all="ignore"), warnings.catch_warnings(),
          replaced(exercise.reference, exercise.mistakes[0].func)):
        warnings.simplefilter("ignore")  # a solver run on a mistake may not converge
        try:
            after = _library()
        except Exception:  # noqa: BLE001 - the library refusing the mistake shows it too
            return
    assert _differs(after, before)


@pytest.mark.parametrize("name", exercises.names())
def test_a_failed_grading_leaves_the_library_as_it_was(name):
    """After grading a known mistake (whose in-library check ran the library on it), the
    estimators, solvers, networks, optimizers and the autodiff engine compute what they
    computed before."""
    before = _library()
    exercise = exercises.get(name)
    assert not exercise.check(exercise.mistakes[0].func, seed=0).passed
    _assert_same(_library(), before)


def test_a_timeout_inside_a_hot_loop_leaves_nothing_behind():
    """The learner's soft-thresholding hangs only when Lasso's coordinate descent calls it (on
    a Python float): the kernel resolved once for the loop belonged to the abandoned thread."""
    from fromscratch.linear_model import Lasso
    from fromscratch.linear_model._cd import soft_threshold as library_soft_threshold

    def soft_threshold(v, threshold):
        while isinstance(v, float):
            pass
        return library_soft_threshold(v, threshold)

    before = _linear_models()
    report = exercises.check("soft_threshold", soft_threshold, timeout=0.5)
    assert "stopped" in report.records[-1].message
    _assert_same(_linear_models(), before)
    X = np.random.default_rng(0).normal(size=(40, 4))
    assert Lasso(alpha=0.1).fit(X, X[:, 0]).coef_[0] > 0.5


def test_a_failed_optimizer_grading_leaves_the_optimizers_as_they_were():
    def adam_path():
        w = Tensor(np.array([1.0, -2.0]), requires_grad=True)
        opt = optim.Adam([w], lr=0.1)
        for _ in range(20):
            w.grad = 2 * w.data
            opt.step()
        return w.data.copy()

    before = adam_path()
    exercises.check("adam_update", exercises.get("adam_update").mistakes[0].func)
    np.testing.assert_array_equal(adam_path(), before)


# -- reports and figures -------------------------------------------------------------------------


@pytest.mark.parametrize("name, wrong, title", [
    ("adam_update", lambda theta, g, m, v, t, **h: (theta - g, m, v, t + 1), "training loss"),
    ("rosenbrock_gradient", lambda x, y: (x, y), "path"),
    ("sigmoid", lambda z: np.tanh(z), "target vs yours"),
    ("soft_threshold", lambda v, threshold: v, "target vs yours"),
    ("tanh_vjp", lambda g, ans, x: g * (1 - x**2), "target vs yours"),
])
def test_a_figure_where_a_picture_explains_the_failure(name, wrong, title):
    from matplotlib.figure import Figure

    report = exercises.check(name, wrong)
    assert isinstance(report.figure, Figure)
    assert report.figure is report.figure  # drawn once
    assert title in report.figure.axes[0].get_title()
    assert {"target", "yours"} <= {t.get_text() for t in report.figure.axes[0].get_legend()
                                   .get_texts()}


def test_the_report_reads_well():
    report = exercises.check("adam_update", exercises.get("adam_update").mistakes[0].func,
                             seed=5)
    text = str(report)
    assert text.startswith("adam_update (Adam): FAILED 2 of 3 checks")
    assert "  pass  the call" in text and "  FAIL  against the reference" in text
    assert "input: theta=" in text and "theta (target):" in text
    assert "(random inputs from seed 5)" in text
    assert [r.check for r in report.failures] == [r.check for r in report.records[1:]]
    assert exercises.check("adam_update", exercises.get("adam_update").reference, seed=5) \
        .records[1].values == {}


def test_the_same_seed_draws_the_same_inputs():
    mistake = exercises.get("rmsprop_update").mistakes[0].func
    assert str(exercises.check("rmsprop_update", mistake, seed=7)) == \
        str(exercises.check("rmsprop_update", mistake, seed=7))


# -- progress ----------------------------------------------------------------------------------


def test_progress(tmp_path):
    progress = exercises.Progress(tmp_path)
    assert progress.status("momentum_update", ()) == "next"
    assert progress.status("nesterov_update", ("momentum_update",)) == "locked"
    progress.record_pass("momentum_update")
    progress.record_pass("momentum_update")
    assert progress.status("momentum_update", ()) == "done"
    assert progress.status("nesterov_update", ("momentum_update",)) == "next"
    assert [progress.next_hint("adam_update", 2) for _ in range(4)] == [0, 1, 1, 1]
    progress.save()
    again = exercises.Progress(tmp_path)
    assert again.passed == ["momentum_update"] and again.hints == {"adam_update": 2}
    again.reset("adam_update")
    assert again.hints == {} and again.passed == ["momentum_update"]
    again.reset()
    assert again.passed == []


def test_a_damaged_progress_file(tmp_path):
    (tmp_path / exercises.PROGRESS_FILE).write_text('{"passed": "everything"}')
    with pytest.raises(ValueError, match="not a progress file this tool wrote"):
        exercises.Progress(tmp_path)


# -- loading a learner's file ------------------------------------------------------------------


@pytest.mark.parametrize("source, message", [
    (None, "there is no file"),
    ("def sigmoid(z)\n    return z\n", "does not compile: .*line 1"),
    ("import numpy as np\nraise RuntimeError('boom')\n", "raised RuntimeError while it was "
     "loaded: boom \\(line 2"),
    ("import sys\nsys.exit(1)\n", "raised SystemExit while it was loaded"),
    ("def helper(z):\n    return z\n", "has no function sigmoid; it defines helper"),
    ("sigmoid = 3\n", "sigmoid in sigmoid.py is a int, not a function"),
])
def test_loading_a_file(tmp_path, source, message):
    path = tmp_path / "sigmoid.py"
    if source is not None:
        path.write_text(source)
    with pytest.raises(LoadError, match=message):
        load_function(path, "sigmoid")


def test_loading_a_file_that_works(tmp_path):
    path = tmp_path / "sigmoid.py"
    path.write_text("import numpy as np\n\ndef sigmoid(z):\n    return 0.5 + 0 * z\n")
    func = load_function(path, "sigmoid")
    assert func(np.zeros(2)).tolist() == [0.5, 0.5]


def test_sys_exit_in_a_function_is_a_report():
    import sys

    assert "your function raised SystemExit" in _failure(
        exercises.check("sigmoid", lambda z: sys.exit(3)))


@pytest.mark.parametrize("keyword, value, error", [
    ("timeout", 0, ValueError), ("timeout", "long", TypeError), ("seed", -1, ValueError),
])
def test_bad_timeout_or_seed(keyword, value, error):
    with pytest.raises(error, match=keyword):
        exercises.check("sigmoid", abs, **{keyword: value})


# -- notebook cells ------------------------------------------------------------------------------


def test_notebook_cells_run_and_report_not_implemented_yet(capsys):
    cells = exercises.notebook_cells("B")
    assert len(cells) == sum(e.chapter[0] == "B" for e in exercises.all())
    for cell, exercise in zip(cells, [e for e in exercises.all() if e.chapter[0] == "B"],
                              strict=True):
        assert cell.startswith(f"# Exercise {exercise.chapter}: {exercise.title}.")
        assert cell.rstrip().endswith(f"print(exercises.check({exercise.name!r}, "
                                      f"{exercise.name}))")
        exec(compile(cell, f"{exercise.name}-cell", "exec"), {})
        assert "not implemented yet" in capsys.readouterr().out
    assert [c.split(":")[0] for c in exercises.notebook_cells("B8")] == ["# Exercise B8"] * 2


@pytest.mark.parametrize("prefix, message", [
    ("A", "no exercise belongs to 'A'; the topics with exercises are B4, B5, B8, C4"),
    ("B1", "no exercise belongs to 'B1'"),
    ("b", "chapter_prefix must be a chapter's letter"),
    (4, "chapter_prefix must be"),
])
def test_notebook_cells_refuse_a_chapter_without_exercises(prefix, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        exercises.notebook_cells(prefix)
