"""Class weights in MLPClassifier: a class weight is the equivalent sample weight (scikit-learn's
"balanced" rule, LogisticRegression's helper), the objective of a fixed network and its gradient
against PyTorch's CrossEntropyLoss(weight=...) — whose weighted mean divides by the batch's
total weight, as ours does — the consequence that a common factor changes only the penalty,
the rare class's recall, and the errors."""

import numpy as np
import pytest
from sklearn.utils.class_weight import compute_class_weight

from fromscratch.autodiff import Tensor
from fromscratch.nn import MLPClassifier
from tolerance import assert_close_to_scale

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore::fromscratch.nn.mlp.ConvergenceWarning")


def _data(n_classes, n=90, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.digitize(X[:, 0] + 0.7 * rng.normal(size=n), [-0.8, 0.6][: n_classes - 1])
    return X, y, rng.uniform(0.1, 3.0, size=n)


#: Deterministic training (no shuffle): two fits with the same per-sample weights take the
#: same steps, so their networks agree to rounding.
PLAIN = dict(hidden_layer_sizes=(5,), activation="tanh", optimizer="sgd", batch_size=16,
             shuffle=False, max_iter=25, learning_rate_init=0.1, alpha=0.01, random_state=0,
             tol=0.0, n_iter_no_change=10**6)


def _parameters(model):
    return np.concatenate([a.ravel() for a in model.coefs_ + model.intercepts_])


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("class_weight", ["dict", "balanced"])
@pytest.mark.parametrize("with_sample_weight", [False, True])
def test_class_weight_is_the_equivalent_sample_weight(n_classes, class_weight,
                                                      with_sample_weight):
    """Sample i weighs sw_i · c_{y_i}; "balanced" is scikit-learn's compute_class_weight (with
    the sample weights where given)."""
    X, y, w = _data(n_classes)
    sample_weight = w if with_sample_weight else None
    classes = np.arange(n_classes)
    if class_weight == "dict":
        class_weight = {0: 3.0, 1: 0.5} if n_classes == 2 else {0: 3.0, 2: 0.25}
        per_class = np.array([class_weight.get(k, 1.0) for k in classes])
    else:
        per_class = compute_class_weight("balanced", classes=classes, y=y,
                                         sample_weight=sample_weight)
    weighted = MLPClassifier(class_weight=class_weight, **PLAIN).fit(X, y, sample_weight)
    explicit = MLPClassifier(**PLAIN).fit(
        X, y, per_class[y] * (1.0 if sample_weight is None else sample_weight))
    assert_close_to_scale(_parameters(weighted), _parameters(explicit), 1e-12)
    unweighted = MLPClassifier(**PLAIN).fit(X, y, sample_weight)
    assert np.abs(_parameters(weighted) - _parameters(unweighted)).max() > 1e-3


def _torch_network(clf):
    layers = []
    for i, (W, b) in enumerate(zip(clf.coefs_, clf.intercepts_, strict=True)):
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if i < len(clf.coefs_) - 1:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("alpha", [0.0, 0.3])
@pytest.mark.parametrize("rows", ["all", "batch"])
def test_objective_and_gradient_are_torch_cross_entropy_with_class_weights(n_classes, alpha,
                                                                           rows):
    """For a fixed network, the mini-batch objective and its gradient with respect to every
    weight and bias equal PyTorch's CrossEntropyLoss(weight=c)(logits, y) + α/(2 Σ_B c_{y_i})
    Σ‖W‖²: torch's weighted 'mean' divides by the batch's total weight Σ_B c_{y_i}, and so do
    we (module docstring: a class weight is a sample weight). Two classes: our single sigmoid
    logit z is the softmax of the logits (0, z), so torch's cross-entropy applies too."""
    X, y, _ = _data(n_classes, n=40)
    class_weight = {0: 2.5, 1: 0.4} if n_classes == 2 else {0: 2.5, 1: 0.4, 2: 1.7}
    c = np.array([class_weight[k] for k in range(n_classes)])
    clf = MLPClassifier((6, 4), activation="tanh", alpha=alpha, class_weight=class_weight,
                        max_iter=3, random_state=1).fit(X, y)  # a network that is not the start
    batch = np.arange(len(y)) if rows == "all" else np.arange(7, 23)  # a mini-batch of rows

    model = clf.to_module()
    target = clf._encode_targets(y, None)
    loss_fn = clf._loss_fn(model, alpha, target, clf._weigh_samples(target, None, X.dtype))
    value = loss_fn(model(Tensor(X[batch])), batch)
    value.backward()
    ours_grads = [p.grad for p in model.parameters()]

    network = _torch_network(clf)
    logits = network(torch.from_numpy(X[batch]))
    if n_classes == 2:
        logits = torch.cat([torch.zeros_like(logits), logits], dim=1)
    reference = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(c))(
        logits, torch.from_numpy(y[batch]))
    batch_weight = c[y[batch]].sum()
    penalty = sum((layer.weight**2).sum() for layer in network if hasattr(layer, "weight"))
    reference = reference + alpha / (2 * batch_weight) * penalty
    reference.backward()
    torch_grads = [p.grad.numpy() for p in network.parameters()]

    assert float(value.data) == pytest.approx(reference.item(), rel=1e-13)
    # Our Linear stores weight as (out, in), as torch does: parameters in the same order.
    assert len(ours_grads) == len(torch_grads)
    for ours, ref in zip(ours_grads, torch_grads, strict=True):
        assert_close_to_scale(ours, ref, 1e-12)
    # The other normalisation (divide by |B|) is a different number: the test can tell them.
    per_sample = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(c), reduction="sum")(
        logits.detach(), torch.from_numpy(y[batch])).item() / len(batch)
    assert abs(per_sample - (reference.item() - alpha / (2 * batch_weight) * penalty.item())) \
        > 1e-3 * per_sample


def test_a_common_factor_of_the_class_weights_changes_only_the_penalty():
    """The consequence of dividing by the total weight: the data term's scale, and so each
    step, does not depend on the scale of the class weights. The penalty α/(2 Σ_B s) is
    divided by the factor (as for sample weights in scikit-learn): weights ×100 at α are the
    weights at α/100."""
    X, y, _ = _data(3)
    weights, scaled = {0: 3.0, 1: 0.5, 2: 1.0}, {0: 300.0, 1: 50.0, 2: 100.0}
    no_penalty = {**PLAIN, "alpha": 0.0}
    assert_close_to_scale(_parameters(MLPClassifier(class_weight=scaled, **no_penalty).fit(X, y)),
                          _parameters(MLPClassifier(class_weight=weights, **no_penalty).fit(X, y)),
                          1e-10)
    smaller_alpha = {**PLAIN, "alpha": PLAIN["alpha"] / 100}
    assert_close_to_scale(_parameters(MLPClassifier(class_weight=scaled, **PLAIN).fit(X, y)),
                          _parameters(MLPClassifier(class_weight=weights,
                                                    **smaller_alpha).fit(X, y)), 1e-10)


def test_early_stopping_scores_the_validation_split_with_the_class_weights():
    """Training and stopping judge by one criterion: the validation score is the accuracy
    weighted by s_i = c_{y_i}, as the loss is."""
    from fromscratch.optim.training import validation_split

    X, y, _ = _data(3, n=200)
    class_weight = {0: 4.0, 1: 0.5, 2: 1.0}
    model = MLPClassifier((8,), early_stopping=True, validation_fraction=0.25, max_iter=30,
                          tol=0.0, random_state=0, class_weight=class_weight).fit(X, y)
    rng = np.random.default_rng(0)  # the same draws as fit: initial weights, then the split
    model._initial_parameters([3, 8, 3], "relu", rng, np.float64)
    _, val = validation_split(len(X), 0.25, rng, stratify=y)
    s = np.array([class_weight[k] for k in y[val]])
    correct = model.predict(X[val]) == y[val]
    assert model.best_validation_score_ == pytest.approx(s @ correct / s.sum(), rel=1e-12)
    assert model.best_validation_score_ != pytest.approx(np.mean(correct), rel=1e-6)


def test_balanced_class_weight_raises_the_rare_class_recall():
    """On a 95/5 problem the unweighted network hardly predicts the rare class; "balanced"
    trades some accuracy for its recall."""
    rng = np.random.default_rng(0)
    y = (rng.uniform(size=1000) < 0.05).astype(int)
    X = rng.normal(size=(1000, 2)) + 1.2 * y[:, None]
    params = dict(hidden_layer_sizes=(8,), max_iter=60, learning_rate_init=0.01, random_state=0)
    recall = [np.mean(MLPClassifier(class_weight=class_weight, **params).fit(X, y)
                      .predict(X)[y == 1] == 1)
              for class_weight in (None, "balanced")]
    assert recall[0] < 0.3 < 0.7 < recall[1]


def test_class_weights_with_string_labels_and_get_params():
    X, y, _ = _data(3)
    labels = np.array(["low", "mid", "high"])[y]
    by_label = MLPClassifier(class_weight={"low": 3.0, "high": 0.5}, **PLAIN).fit(X, labels)
    # classes_ is sorted: high, low, mid
    explicit = MLPClassifier(**PLAIN).fit(X, labels, np.select(
        [labels == "low", labels == "high"], [3.0, 0.5], 1.0))
    assert_close_to_scale(_parameters(by_label), _parameters(explicit), 1e-12)
    assert by_label.get_params()["class_weight"] == {"low": 3.0, "high": 0.5}


@pytest.mark.parametrize(("class_weight", "error", "match"), [
    ({0: 1.0, 7: 2.0}, ValueError, "class_weight names the class 7, which is not a class"),
    ("balance", ValueError, "class_weight must be one of 'balanced'.*Did you mean"),
    ([1.0, 2.0, 3.0], TypeError, "class_weight must be None, 'balanced' or a dict"),
    ({1: -2.0}, ValueError, r"class_weight\[1\] must be in \[0, inf\)"),
    ({0: 0.0, 1: 0.0}, ValueError, r"only the class \[2\].*at least two classes"),
])
def test_bad_class_weights_are_named(class_weight, error, match):
    X, y, _ = _data(3)
    with pytest.raises(error, match=match):
        MLPClassifier(class_weight=class_weight, max_iter=1).fit(X, y)
