"""Initializers (against torch.nn.init's formulas), the mini-batch loader, the training loop and
saving/loading modules, optimizers and estimators."""

import math
import warnings

import numpy as np
import pytest

import fromscratch
from fromscratch import nn, optim
from fromscratch.nn import init
from fromscratch.nn.training import EarlyStopping, evaluate, train_epoch
from fromscratch.optim.training import validation_split

torch = pytest.importorskip("torch")


# -- initializers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("nonlinearity, param", [("linear", None), ("sigmoid", None),
                                                 ("tanh", None), ("relu", None),
                                                 ("leaky_relu", None), ("leaky_relu", 0.2)])
def test_calculate_gain_matches_pytorch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param), rel=1e-15)


@pytest.mark.parametrize("shape", [(30, 20), (8, 4, 3, 3)])
def test_fans_match_pytorch(shape):
    assert init.fans(shape) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def _std_and_bound(name, shape, **kwargs):
    """PyTorch's std (normal) or bound (uniform), measured on a large torch draw."""
    t = torch.empty(shape, dtype=torch.float64)
    getattr(torch.nn.init, name + "_")(t, **kwargs)
    return t.std().item(), t.abs().max().item()


@pytest.mark.parametrize(
    "name, kwargs",
    [("xavier_uniform", {"gain": 2.0}), ("xavier_normal", {"gain": 0.5}),
     ("kaiming_uniform", {"nonlinearity": "relu"}),
     ("kaiming_uniform", {"a": math.sqrt(5)}),
     ("kaiming_normal", {"mode": "fan_out", "nonlinearity": "relu"})],
)
def test_initializers_have_pytorchs_scale(name, kwargs):
    shape = (300, 200)
    ours = getattr(init, name)(shape, random_state=0, **kwargs)
    ref_std, ref_bound = _std_and_bound(name, shape, **kwargs)
    fan_in, fan_out = 200, 300
    assert ours.std() == pytest.approx(ref_std, rel=0.02)
    if "uniform" in name:  # the exact bound of the formula
        gain = kwargs.get("gain", 1.0)
        if name == "xavier_uniform":
            bound = gain * math.sqrt(6 / (fan_in + fan_out))
        else:
            bound = init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"),
                                        kwargs.get("a", 0)) * math.sqrt(3 / fan_in)
        assert ours.max() <= bound and ours.max() > 0.99 * bound
        assert ref_bound <= bound * (1 + 1e-12)


def test_initializers_are_reproducible_and_keep_dtype():
    a = init.xavier_normal((4, 5), random_state=3)
    np.testing.assert_array_equal(a, init.xavier_normal((4, 5), random_state=3))
    assert init.kaiming_normal((4, 5), random_state=0, dtype=np.float32).dtype == np.float32
    assert np.all(init.zeros((3,)) == 0)


def test_initializer_errors():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        init.xavier_uniform((5,))
    with pytest.raises(ValueError, match="Did you mean 'tanh'"):
        init.calculate_gain("tahn")
    with pytest.raises(ValueError, match="mode must be one of"):
        init.kaiming_uniform((3, 3), mode="fan_avg")
    with pytest.raises(ValueError, match="high must be >= low"):
        init.uniform((2,), 1.0, 0.0)
    with pytest.raises(TypeError, match="float32 or float64"):
        init.normal((2,), dtype=np.int32)
    with pytest.raises(ValueError, match=r"shape\[1\]"):
        init.zeros((2, -1))


# -- mini-batches ---------------------------------------------------------------------------------


def test_loader_visits_every_sample_once_per_epoch():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    loader = nn.DataLoader(X, y, batch_size=3, shuffle=True, random_state=0)
    assert len(loader) == 4
    epochs = [np.concatenate([yb for _, yb in loader]) for _ in range(2)]
    for seen in epochs:
        assert sorted(seen) == list(range(10))
    assert not np.array_equal(epochs[0], epochs[1])  # reshuffled each epoch
    for Xb, yb in loader:
        np.testing.assert_array_equal(Xb[:, 0] / 2, yb)  # rows stay paired
    again = nn.DataLoader(X, y, batch_size=3, shuffle=True, random_state=0)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in again]), epochs[0])


def test_loader_order_drop_last_and_x_only():
    X = np.arange(7.0).reshape(7, 1)
    batches = list(nn.DataLoader(X, batch_size=3))
    assert [b.ravel().tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(nn.DataLoader(X, batch_size=3, drop_last=True)) == 2
    assert [len(b) for b in nn.DataLoader(X, batch_size=3, drop_last=True)] == [3, 3]
    with pytest.raises(ValueError, match="different numbers of samples"):
        nn.DataLoader(X, np.arange(6))
    with pytest.raises(ValueError, match="batch_size"):
        nn.DataLoader(X, batch_size=0)


# -- the training loop ----------------------------------------------------------------------------


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.normal(size=(n, 2)) * 0.5 + np.array([[0, 0], [3, 0], [0, 3]])[y]
    return X, y


def _model(seed=0):
    return nn.Sequential(nn.Linear(2, 8, random_state=seed), nn.ReLU(),
                         nn.Linear(8, 3, random_state=seed + 1))


def test_fit_learns_and_records_history():
    X, y = _blobs()
    model = _model()
    opt = optim.Adam(model.parameters(), lr=0.05)
    history = nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=15, batch_size=16,
                     validation_fraction=0.25, random_state=0)
    assert history.epochs == 15 and history.best_epoch == 15 and not history.stopped_early
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert history["loss"][-1] < history["loss"][0] / 3
    assert history["val_accuracy"][-1] > 0.95
    val_loss, val_acc = evaluate(model, nn.CrossEntropyLoss(), X, y)
    assert val_acc > 0.95 and val_loss < history["loss"][0]


def test_fit_loss_equals_mean_of_batch_losses():
    """The recorded epoch loss is the sample-weighted mean of the batch losses."""
    X, y = _blobs(10)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.0)  # lr 0: the model does not change
    history = nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=1, batch_size=4)
    assert history["loss"][0] == pytest.approx(evaluate(model, nn.CrossEntropyLoss(), X, y)[0],
                                               rel=1e-12)


def test_early_stopping_restores_best_weights():
    X, y = _blobs(100)
    X_val, y_val = _blobs(60, seed=1)
    y_val = (y_val + 1) % 3  # a validation set it cannot fit: its loss soon gets worse
    model = _model()
    opt = optim.Adam(model.parameters(), lr=0.05)
    history = nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=100, batch_size=20,
                     validation_data=(X_val, y_val), patience=2, random_state=0)
    assert history.stopped_early and history.epochs < 100
    best = history.best_epoch
    assert history["val_loss"][best - 1] == min(history["val_loss"])
    assert history.epochs == best + 3  # patience 2: the third bad epoch stops
    final_loss = evaluate(model, nn.CrossEntropyLoss(), X_val, y_val)[0]
    assert final_loss == pytest.approx(min(history["val_loss"]), rel=1e-12)


def test_validation_fraction_holds_out_the_shared_split():
    """ceil(0.25 * 10) = 3 rows, the ones validation_split draws first from the seed (rounding
    to nearest, as fit used to, would hold out 2)."""
    X, y = _blobs(10)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=1, batch_size=4,
                     validation_fraction=0.25, random_state=0)
    _, val = validation_split(10, 0.25, np.random.default_rng(0))
    assert val.size == 3
    assert history["val_loss"][0] == evaluate(model, nn.CrossEntropyLoss(), X[val], y[val])[0]


def test_patience_stops_at_scikit_learns_mlp_epoch():
    """Flipping '>' to '>=' in the MLP rule makes the run one epoch shorter: caught here."""
    from stopping_reference import has_ties, sklearn_stop_epoch

    X, y = _blobs(100)
    X_val, y_val = _blobs(60, seed=1)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    history = nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=200, batch_size=10,
                     validation_data=(X_val, (y_val + 1) % 3), patience=3, min_delta=1e-3,
                     random_state=0)
    assert history.stopped_early and not has_ties(history["val_loss"], 1e-3)
    assert history.epochs == sklearn_stop_epoch(history["val_loss"], 3, 1e-3, rule="mlp")


def test_early_stopping_rule():
    stopper = EarlyStopping(patience=1, min_delta=0.1)
    assert stopper.update(1.0) and not stopper.should_stop
    assert stopper.update(0.95)  # a new best, but not by more than min_delta
    assert stopper.bad_epochs == 1 and not stopper.should_stop
    stopper.update(0.99)
    assert stopper.should_stop
    score = EarlyStopping(patience=0, mode="max")
    assert score.update(0.5) and not score.update(0.4) and score.should_stop
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(1, mode="up")


def test_fit_with_scheduler_and_regression_loss():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = (X @ np.array([1.0, 2.0, -1.0])).reshape(-1, 1)
    model = nn.Linear(3, 1, random_state=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    history = nn.fit(model, nn.MSELoss(), opt, X, y, epochs=6, batch_size=16, random_state=0)
    assert "accuracy" not in history.history
    history = nn.fit(model, nn.MSELoss(), opt, X, y, epochs=4, batch_size=16,
                     scheduler=scheduler, random_state=0)
    assert history["lr"] == [0.1, 0.1, 0.05, 0.05]  # the rate used in each epoch, as torch


def test_nan_loss_stops_with_a_hint():
    X, y = _blobs(40)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=1e12)
    with pytest.raises(nn.DivergenceError, match=r"rate lr=1e\+12 is probably too large"), \
            np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        nn.fit(model, nn.MSELoss(), opt, X, np.eye(3)[y] * 1e6, epochs=20, batch_size=8)


def test_fit_argument_errors():
    X, y = _blobs(20)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="epochs"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=0)
    with pytest.raises(ValueError, match="different numbers of samples"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, X, y[:5])
    with pytest.raises(ValueError, match="validation_fraction"):
        nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, validation_fraction=1.5)
    # A loader with drop_last and a batch larger than the data yields nothing (as PyTorch's):
    # the epoch has no loss (it was a ZeroDivisionError).
    empty = nn.DataLoader(X, y, batch_size=32, drop_last=True)
    with pytest.raises(ValueError, match="batches yielded no samples"):
        train_epoch(model, nn.CrossEntropyLoss(), opt, empty)


# -- saving and loading ---------------------------------------------------------------------------


def test_module_and_optimizer_state_dicts_round_trip(tmp_path):
    X, y = _blobs(50)
    model = _model()
    opt = optim.Adam(model.parameters(), lr=0.01)
    nn.fit(model, nn.CrossEntropyLoss(), opt, X, y, epochs=2, batch_size=10, random_state=0)
    fromscratch.save(model.state_dict(), tmp_path / "model")
    fromscratch.save(opt.state_dict(), tmp_path / "opt")

    restored = _model(seed=7)
    restored.load_state_dict(fromscratch.load(tmp_path / "model.npz"))
    restored_opt = optim.Adam(restored.parameters(), lr=0.5)
    restored_opt.load_state_dict(fromscratch.load(tmp_path / "opt.npz"))
    for (name, a), b in zip(model.state_dict().items(), restored.state_dict().values(),
                            strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)
    # Training on from both gives bit-identical parameters: the Adam moments came back too.
    for m, o in [(model, opt), (restored, restored_opt)]:
        nn.fit(m, nn.CrossEntropyLoss(), o, X, y, epochs=1, batch_size=10, shuffle=False)
    for a, b in zip(model.parameters(), restored.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.filterwarnings("ignore::fromscratch.nn.mlp.ConvergenceWarning")
@pytest.mark.parametrize("cls", [nn.MLPClassifier, nn.MLPRegressor])
def test_estimators_round_trip(tmp_path, cls):
    X, y = _blobs(60)
    target = np.array(["a", "b", "c"])[y] if cls is nn.MLPClassifier else X[:, 0] * y
    est = cls((5, 4), activation="tanh", max_iter=5, random_state=0).fit(X, target)
    path = fromscratch.save(est, tmp_path / "est")
    loaded = fromscratch.load(path)
    assert type(loaded) is cls and loaded.get_params() == est.get_params()
    for a, b in zip(est.coefs_ + est.intercepts_, loaded.coefs_ + loaded.intercepts_,
                    strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
    assert loaded.loss_curve_ == est.loss_curve_ and loaded.n_iter_ == est.n_iter_
    unfitted = fromscratch.load(fromscratch.save(cls((3,)), tmp_path / "unfitted"))
    assert unfitted.get_params() == cls((3,)).get_params()


def test_bad_files_are_rejected(tmp_path):
    est = nn.MLPRegressor((2,), max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(np.ones((5, 2)), np.arange(5.0))
    path = fromscratch.save(est, tmp_path / "est")
    data = bytearray(path.read_bytes())
    (tmp_path / "truncated.npz").write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ValueError):
        fromscratch.load(tmp_path / "truncated.npz")
    np.savez(tmp_path / "foreign.npz", coefs=np.ones(3))
    with pytest.raises(ValueError, match="not a fromscratch file"):
        fromscratch.load(tmp_path / "foreign.npz")
    model = _model()
    state = model.state_dict()
    state["0.weight"] = np.ones((4, 4))
    fromscratch.save(state, tmp_path / "wrong_shape")
    with pytest.raises(ValueError, match=r"'0.weight' has shape \(4, 4\)"):
        model.load_state_dict(fromscratch.load(tmp_path / "wrong_shape.npz"))
