r"""Multi-layer perceptrons with scikit-learn's API: :class:`MLPClassifier`, :class:`MLPRegressor`.

The network is a :class:`~fromscratch.nn.Sequential` of :class:`~fromscratch.nn.Linear` layers
and activations, trained by :func:`~fromscratch.nn.training.train_epoch` with a
:mod:`fromscratch.optim` optimizer. The objective is scikit-learn's, so results can be compared
with ``sklearn.neural_network``: on a mini-batch :math:`B`,

.. math::

    J_B(W, b) = \frac{1}{|B|}\sum_{i \in B} \ell(f(x_i), y_i)
              + \frac{\alpha}{2|B|} \sum_l \|W^l\|_F^2,

with :math:`\ell` the squared error :math:`\frac12\|f(x) - y\|^2` (averaged over outputs) for
regression, the binary cross-entropy of a sigmoid output for two classes and the softmax
cross-entropy for more. Biases are not penalised.

**Sample weights** (``fit(X, y, sample_weight)``, scikit-learn's semantics since 1.7): the batch
average becomes the weighted average and the penalty is divided by the batch's weight,

.. math::

    J_B = \frac{\sum_{i\in B} s_i\,\ell(f(x_i), y_i)}{\sum_{i\in B} s_i}
          + \frac{\alpha}{2\sum_{i\in B} s_i} \sum_l \|W^l\|_F^2,

so a full batch with integer weights is the batch of repeated samples, and unit weights change
nothing. (A mini-batch whose weights are all zero has nothing to fit: its loss is 0 and its
gradient too.) The early-stopping split keeps each sample's weight, and the validation score is
the weighted one. Weights start from scikit-learn's Glorot
uniform initialisation, :math:`W, b \sim \mathcal U(-r, r)` with
:math:`r = \sqrt{6/(n_\mathrm{in} + n_\mathrm{out})}` (:math:`\sqrt{2/(n_\mathrm{in} +
n_\mathrm{out})}` for the logistic activation).

**Class weights** (``MLPClassifier(class_weight=...)``; scikit-learn's MLP has none, its other
classifiers do): sample :math:`i` weighs :math:`s_i = \mathrm{sw}_i\, c_{y_i}`, its sample
weight times its class's weight (``"balanced"``: :math:`c_k = \sum_i \mathrm{sw}_i / (K
\sum_{i: y_i = k}\mathrm{sw}_i)`, scikit-learn's ``compute_class_weight``), and :math:`s_i`
enters :math:`J_B` above as a sample weight: a class weight *is* the equivalent sample weight.
The weighted mean divides by the batch's total weight :math:`\sum_{i\in B} s_i`, which is
PyTorch's ``CrossEntropyLoss(weight=c)`` normalisation, and not by :math:`|B|`: so the scale of
the data term, and with it the step the learning rate makes, does not change with the class
weights (multiplying them all by a constant only divides the penalty by it, as it does for
sample weights). The validation score of early stopping is weighted by the same :math:`s_i`
(with ``"balanced"`` and the stratified split, about the balanced accuracy), so training and
stopping judge by one criterion.

Stopping (scikit-learn's MLP rule, :class:`~fromscratch.optim.training.EarlyStopping` with
``rule="mlp"``): an epoch *improves* when the training loss falls by more than ``tol`` below the
best so far (or, with ``early_stopping``, the validation score — accuracy or :math:`R^2` — rises
by more than ``tol``); training stops after more than ``n_iter_no_change`` consecutive epochs
without improvement, or after ``max_iter`` epochs with a :class:`ConvergenceWarning`. The
early-stopping split holds out ``ceil(validation_fraction * n)`` samples, stratified by class
for the classifier, as scikit-learn does
(:func:`~fromscratch.optim.training.validation_split`).

The learned state is plain arrays (``coefs_``, ``intercepts_``, in scikit-learn's layout
``(n_in, n_out)``), so ``fromscratch.save`` stores a fitted estimator without pickle; the
module is rebuilt from them when needed (:meth:`MLPClassifier.to_module`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

import fromscratch.autodiff.numpy as anp
from fromscratch._param_validation import (
    CLASS_WEIGHT_RULE,
    AnyOf,
    Check,
    InstanceOf,
    Interval,
    Options,
    OrNone,
    RandomState,
    Rule,
)
from fromscratch._validation import (
    check_random_state,
    check_sample_weight,
    check_weighted_classes,
    class_sample_weight,
    encode_class_labels,
)
from fromscratch.autodiff import no_grad
from fromscratch.base import BaseEstimator, ClassifierMixin, RegressorMixin, check_is_fitted
from fromscratch.blocks import block_labels, check_finite_block, is_dask_array, map_method
from fromscratch.exceptions import ConvergenceWarning
from fromscratch.nn import functional as F
from fromscratch.nn import init
from fromscratch.nn._streaming import fit_mlp_blocks, partial_fit_mlp
from fromscratch.nn.activations import ReLU, Sigmoid, Tanh
from fromscratch.nn.data import DataLoader
from fromscratch.nn.layers import Identity, Linear
from fromscratch.nn.module import Module, Sequential
from fromscratch.nn.training import train_epoch
from fromscratch.optim.registry import OPTIMIZER_RULE
from fromscratch.optim.training import EarlyStopping, not_converged_warning, validation_split

__all__ = ["MLPClassifier", "MLPRegressor", "ConvergenceWarning"]


#: activation name (scikit-learn's) -> module class
ACTIVATIONS: dict[str, type[Module]] = {
    "identity": Identity,
    "logistic": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
}


def _hidden_sizes(hidden_layer_sizes: Any) -> list[int]:
    if isinstance(hidden_layer_sizes, numbers.Integral) and not isinstance(
        hidden_layer_sizes, bool
    ):
        hidden_layer_sizes = (hidden_layer_sizes,)
    try:
        sizes = list(hidden_layer_sizes)
    except TypeError:
        raise TypeError(
            "hidden_layer_sizes must be an int or a tuple of ints (units per hidden layer), "
            f"got {hidden_layer_sizes!r}."
        ) from None
    for i, size in enumerate(sizes):
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise TypeError(f"hidden_layer_sizes[{i}] must be an int, got {size!r}.")
        if size <= 0:
            raise ValueError(
                f"hidden_layer_sizes[{i}] is {size}; every hidden layer needs at least one "
                f"unit (got hidden_layer_sizes={tuple(sizes)}). Use () for no hidden layer."
            )
    return [int(s) for s in sizes]


#: ``fit`` returns the estimator it was called on: an MLPClassifier stays an MLPClassifier.
_MLP = TypeVar("_MLP", bound="_BaseMLP")

#: scikit-learn's MLPs take an int (0 or 1) where a bool is meant, and so do ours.
_TRUE_OR_FALSE = InstanceOf((bool, np.bool_, numbers.Integral), "True or False")


class _BaseMLP(BaseEstimator):
    """Shared fitting machinery; subclasses define the output layer, loss and score."""

    _parameter_constraints: dict[str, Rule] = {
        "hidden_layer_sizes": Check(lambda value, name: _hidden_sizes(value),
                                    "an int or a tuple of ints >= 1", invalid=((4, 0), 2.5)),
        "activation": Options(*ACTIVATIONS),
        "optimizer": OPTIMIZER_RULE,
        "optimizer_params": OrNone(InstanceOf(dict, "a dict of the optimizer's "
                                              "hyper-parameters (e.g. {'momentum': 0.9})")),
        "alpha": Interval(float, 0.0),
        "batch_size": AnyOf(Options("auto"), Interval(int, 1)),
        "learning_rate_init": Interval(float, 0.0, closed="neither"),
        "max_iter": Interval(int, 1),
        "shuffle": _TRUE_OR_FALSE,
        "random_state": RandomState(),
        "tol": Interval(float, 0.0),
        "verbose": _TRUE_OR_FALSE,
        "early_stopping": _TRUE_OR_FALSE,
        "validation_fraction": Interval(float, 0.0, 1.0, closed="neither"),
        "n_iter_no_change": Interval(int, 1),
    }
    n_outputs_: int  # set by the subclass's _encode_targets
    best_validation_score_: float | None

    def __init__(
        self,
        hidden_layer_sizes: Any = (100,),
        activation: str = "relu",
        *,
        optimizer: Any = "adam",
        optimizer_params: dict[str, Any] | None = None,
        alpha: float = 1e-4,
        batch_size: Any = "auto",
        learning_rate_init: float = 1e-3,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: Any = None,
        tol: float = 1e-4,
        verbose: bool = False,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.optimizer_params = optimizer_params
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change

    # -- subclass hooks -----------------------------------------------------------------------

    def _encode_targets(self, y: np.ndarray, sample_weight: np.ndarray | None
                        ) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _data_loss(self, output: Any, target: np.ndarray,
                   weight: np.ndarray | None) -> Any:  # pragma: no cover
        """The batch's mean loss, weighted by ``weight`` (positive sum) when given."""
        raise NotImplementedError

    def _validation_score(self, X: np.ndarray, y: np.ndarray,
                          weight: np.ndarray | None) -> float:  # pragma: no cover
        raise NotImplementedError

    def _weigh_samples(self, target: np.ndarray, sample_weight: np.ndarray | None,
                       dtype: np.dtype) -> np.ndarray | None:
        """Each sample's weight in the loss: ``sample_weight`` (the classifier multiplies in
        its class weights)."""
        return sample_weight

    # -- checks -------------------------------------------------------------------------------

    def _check_params(self) -> dict[str, Any]:
        """The hyper-parameters validated by the table, under the names ``fit`` uses."""
        params = self._validate_params()
        return {"hidden": params["hidden_layer_sizes"], "lr": params["learning_rate_init"],
                **{name: params[name] for name in ("activation", "optimizer", "alpha",
                                                   "max_iter", "tol", "n_iter_no_change")}}

    # -- the network --------------------------------------------------------------------------

    def _initial_parameters(
        self, sizes: list[int], activation: str, rng: np.random.Generator, dtype: np.dtype
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """scikit-learn's Glorot-uniform start, weights in its ``(n_in, n_out)`` layout."""
        factor = 2.0 if activation == "logistic" else 6.0
        coefs, intercepts = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
            bound = math.sqrt(factor / (n_in + n_out))
            coefs.append(init.uniform((n_in, n_out), -bound, bound, random_state=rng,
                                      dtype=dtype))
            intercepts.append(init.uniform((n_out,), -bound, bound, random_state=rng,
                                           dtype=dtype))
        return coefs, intercepts

    def _build(self, coefs: list[np.ndarray], intercepts: list[np.ndarray],
               activation: str) -> Sequential:
        layers: list[Module] = []
        for i, (W, b) in enumerate(zip(coefs, intercepts, strict=True)):
            linear = Linear(W.shape[0], W.shape[1], random_state=0, dtype=W.dtype)
            linear.load_state_dict({"weight": W.T, "bias": b})
            layers.append(linear)
            if i < len(coefs) - 1:
                layers.append(ACTIVATIONS[activation]())
        return Sequential(*layers)

    def to_module(self) -> Sequential:
        """The fitted network as a :class:`~fromscratch.nn.Sequential` (its output layer gives
        logits for a classifier: apply a sigmoid or softmax for probabilities)."""
        check_is_fitted(self)
        return self._build(self.coefs_, self.intercepts_, self.activation)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        """Raw network outputs (logits for a classifier), without recording gradients."""
        with no_grad():
            output = self.to_module()(X)
        return np.asarray(anp.primal(output))

    # -- fitting ------------------------------------------------------------------------------

    def _loss_fn(self, model: Sequential, alpha: float, target: np.ndarray,
                 sample_weight: np.ndarray | None) -> Callable[[Any, Any], Any]:
        """The mini-batch objective of the rows ``rows`` of ``target``: data loss +
        α/(2|B|) Σ‖W‖² (weights only), or with sample weights the weighted data loss +
        α/(2 Σ_B s) Σ‖W‖²."""
        weights = [layer.weight for layer in model if isinstance(layer, Linear)]

        def loss(output: Any, rows: np.ndarray) -> Any:
            weight = None if sample_weight is None else sample_weight[rows]
            total = len(rows) if weight is None else float(weight.sum())
            if total == 0:  # nothing to fit in this batch: a loss of 0, and no gradient
                return anp.sum(output) * 0.0
            value = self._data_loss(output, target[rows], weight)
            if alpha > 0:
                penalty = sum(anp.sum(anp.square(W)) for W in weights)
                value = value + penalty * (alpha / (2 * total))
            return value

        return loss

    def fit(self: _MLP, X: Any, y: Any, sample_weight: Any = None) -> _MLP:
        """Train the network on ``(X, y)``; returns ``self``.

        ``sample_weight`` (array of shape (n_samples,), optional) weighs each sample's loss
        (module docstring). ``X`` may be a row-chunked Dask array: the epochs are then passes
        over its blocks (:mod:`._streaming`).
        """
        params = self._check_params()
        if is_dask_array(X):
            return fit_mlp_blocks(self, X, y, params, sample_weight)
        X, y = self._validate_fit(X, y, y_numeric=isinstance(self, RegressorMixin))
        sample_weight = check_sample_weight(sample_weight, X.shape[0], dtype=X.dtype)
        target = self._encode_targets(y, sample_weight)
        sample_weight = self._weigh_samples(target, sample_weight, X.dtype)
        rng = check_random_state(self.random_state)
        sizes = [X.shape[1], *params["hidden"], self.n_outputs_]
        coefs, intercepts = self._initial_parameters(sizes, params["activation"], rng, X.dtype)
        model = self._build(coefs, intercepts, params["activation"])
        optimizer = self._make_optimizer(params, model)
        X_train, target_train, weight_train = X, target, sample_weight
        if self.early_stopping:
            train, val = validation_split(
                len(X), self.validation_fraction, rng,
                stratify=y if isinstance(self, ClassifierMixin) else None)
            if len(val) < 2:  # R², the regressor's validation score, needs two samples
                raise ValueError(
                    f"early_stopping holds out validation_fraction={self.validation_fraction} "
                    f"of the {len(X)} samples: {len(val)} sample, too few to score (at least "
                    "2 are needed). Increase validation_fraction, use more data, or set "
                    "early_stopping=False."
                )
            X_train, target_train, X_val, y_val = X[train], target[train], X[val], y[val]
            if sample_weight is not None:
                weight_train, weight_val = sample_weight[train], sample_weight[val]
            else:
                weight_val = None
        # The loader deals out row numbers; the loss looks up their targets and weights.
        loss_fn = self._loss_fn(model, params["alpha"], target_train, weight_train)
        batch_size = (min(200, len(X_train)) if self.batch_size == "auto"
                      else min(self.batch_size, len(X_train)))
        loader = DataLoader(X_train, np.arange(len(X_train)), batch_size=batch_size,
                            shuffle=bool(self.shuffle), random_state=rng)
        # Scores are maximised, losses minimised: the stopper sees whichever is monitored.
        stopper = EarlyStopping(params["n_iter_no_change"], params["tol"],
                                mode="max" if self.early_stopping else "min", rule="mlp")

        from tqdm import tqdm

        self.loss_curve_: list[float] = []
        validation_scores: list[float] = []
        best_state = None
        converged = False
        for epoch in tqdm(range(params["max_iter"]), disable=not self.verbose, unit="epoch"):
            self.loss_curve_.append(train_epoch(model, loss_fn, optimizer, loader, epoch=epoch,
                                                rate_name="learning_rate_init"))
            if self.early_stopping:
                self.coefs_, self.intercepts_ = self._arrays(model)
                validation_scores.append(self._validation_score(X_val, y_val, weight_val))
                monitored = validation_scores[-1]
            else:
                monitored = self.loss_curve_[-1]
            if stopper.update(monitored) and self.early_stopping:
                best_state = model.state_dict()
            if stopper.should_stop:
                converged = True
                break
        if not converged:
            self._warn_not_converged(params)
        if best_state is not None:
            model.load_state_dict(best_state)
        return self._store_training(model, self.loss_curve_, len(self.loss_curve_) * len(X_train),
                                    validation_scores if self.early_stopping else None)

    def _make_optimizer(self, params: dict[str, Any], model: Sequential) -> Any:
        """The optimizer of ``model``'s parameters, with ``learning_rate_init`` and
        ``optimizer_params``."""
        options = {"lr": params["lr"], **(self.optimizer_params or {})}
        try:
            return params["optimizer"](model.parameters(), **options)
        except TypeError as exc:
            name = params["optimizer"].__name__
            raise TypeError(f"optimizer_params do not fit {name}: {exc}") from None

    def _warn_not_converged(self, params: dict[str, Any]) -> None:
        """The ConvergenceWarning of a training that ran out of ``max_iter`` epochs, at the
        user's line."""
        monitored = "validation score" if self.early_stopping else "training loss"
        not_converged_warning(
            type(self).__name__, f"max_iter={params['max_iter']} epochs",
            f"the {monitored} improved by more than tol={params['tol']:g} within the last "
            f"{params['n_iter_no_change'] + 1} epochs",
            "increase max_iter or learning_rate_init")

    def _store_training(self: _MLP, model: Sequential, loss_curve: list[float], n_seen: int,
                        validation_scores: list[float] | None) -> _MLP:
        """Store the trained network and its record: the losses of the epochs, the samples
        seen, the validation scores (with early stopping, else ``None``)."""
        self.loss_curve_ = loss_curve
        self.coefs_, self.intercepts_ = self._arrays(model)
        self.n_iter_ = len(loss_curve)
        self.t_ = n_seen
        self.n_layers_ = len(self.coefs_) + 1
        self.validation_scores_ = validation_scores
        if validation_scores is not None:
            self.best_validation_score_ = float(max(validation_scores))
            self.best_loss_ = None
        else:
            self.best_validation_score_ = None
            self.best_loss_ = float(min(loss_curve))
        return self

    @staticmethod
    def _arrays(model: Sequential) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Copies of the weights in scikit-learn's layout: ``coefs_[l]`` is ``(n_in, n_out)``."""
        linears = [layer for layer in model if isinstance(layer, Linear)]
        coefs = [np.ascontiguousarray(layer.weight.data.T) for layer in linears]
        # the MLPs build every Linear with a bias
        intercepts = [layer.bias.data.copy() for layer in linears]  # type: ignore[union-attr]
        return coefs, intercepts


class MLPClassifier(ClassifierMixin, _BaseMLP):
    r"""A multi-layer perceptron classifier trained by backpropagation (scikit-learn's API).

    Two classes: one sigmoid output, binary cross-entropy. More: one softmax output per class,
    cross-entropy. See the module docstring for the objective, initialisation and stopping rule.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units per hidden layer; ``()`` gives no hidden layer (then this is logistic
        regression, with penalty ``alpha``).
    activation : {"relu", "tanh", "logistic", "identity"}, default="relu"
    optimizer : str or fromscratch.optim.Optimizer subclass, default="adam"
        ``"adam"``, ``"sgd"``, or any optimizer of :mod:`fromscratch.optim` by name or class.
    optimizer_params : dict, optional
        Further hyper-parameters of the optimizer, e.g. ``{"momentum": 0.9, "nesterov": True}``
        for SGD or ``{"betas": (0.9, 0.999)}`` for Adam. The learning rate is
        ``learning_rate_init``.
    alpha : float, default=1e-4
        Strength of the L2 penalty.
    batch_size : int or "auto", default="auto"
        ``"auto"`` is ``min(200, n_samples)``.
    learning_rate_init : float, default=1e-3
    max_iter : int, default=200
        Epochs.
    shuffle : bool, default=True
    random_state : None, int or numpy.random.Generator
        Initial weights, shuffling and the validation split.
    tol : float, default=1e-4
    verbose : bool, default=False
        Show a progress bar.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its accuracy stops
        improving; keep the best epoch's weights.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=10
    class_weight : None, "balanced" or dict, default=None
        Weights of the classes, multiplying the samples' weights in the loss (module
        docstring): ``{label: weight}`` (classes not named weigh 1), or ``"balanced"``, which
        weighs each class inversely to its total weight, :math:`n/(K n_k)` without sample
        weights, so that a rare class is not ignored.

    Attributes
    ----------
    classes_ : ndarray
        The class labels (any type), sorted.
    coefs_, intercepts_ : list of ndarray
        ``coefs_[l]`` has shape ``(n_l, n_{l+1})``, ``intercepts_[l]`` shape ``(n_{l+1},)``.
    loss_curve_ : list of float
        The objective, averaged over each epoch's samples.
    best_loss_ : float or None
    validation_scores_ : list of float or None
    best_validation_score_ : float or None
    n_iter_ : int
    t_ : int
        Training samples seen.
    n_layers_, n_outputs_ : int
    out_activation_ : str
        ``"logistic"`` or ``"softmax"``.
    n_features_in_ : int

    Examples
    --------
    >>> from fromscratch.datasets import make_moons
    >>> data = make_moons(200, noise=0.1, random_state=0)
    >>> clf = MLPClassifier((16,), max_iter=500, random_state=0).fit(data.data, data.target)
    >>> clf.score(data.data, data.target) > 0.95
    True
    """

    _parameter_constraints: dict[str, Rule] = {
        **_BaseMLP._parameter_constraints,
        "class_weight": CLASS_WEIGHT_RULE,
    }

    def __init__(self, hidden_layer_sizes: Any = (100,), activation: str = "relu", *,
                 class_weight: Any = None, **params: Any) -> None:
        super().__init__(hidden_layer_sizes, activation, **params)
        self.class_weight = class_weight

    def _encode_targets(self, y: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
        classes, index = encode_class_labels(y, type(self).__name__)
        check_weighted_classes(classes, index, sample_weight, type(self).__name__)
        self._set_outputs(classes)
        return self._as_target(index)

    def _set_outputs(self, classes: np.ndarray) -> None:
        """The output layer for ``classes``: one sigmoid unit for two, a softmax unit each
        for more."""
        self.classes_ = classes
        binary = classes.size == 2
        self.n_outputs_ = 1 if binary else classes.size
        self.out_activation_ = "logistic" if binary else "softmax"

    def _as_target(self, index: np.ndarray) -> np.ndarray:
        """The loss's target for class indices: a 0/1 column (two classes) or the indices."""
        return index.reshape(-1, 1).astype(np.float64) if self.n_outputs_ == 1 else index

    def _block_target(self, y: Any, start: int, stop: int) -> np.ndarray:
        """The target of one block of labels (a label outside ``classes_`` is refused with its
        row)."""
        return self._as_target(block_labels(y, self.classes_, "y", start, stop))

    def partial_fit(self, X: Any, y: Any, classes: Any = None,
                    sample_weight: Any = None) -> MLPClassifier:
        """One pass (epoch) of mini-batches over ``(X, y)``, continuing from the previous
        call (scikit-learn's ``partial_fit``): ``classes`` (every label the stream may hold) is
        required on the first call; the weights and the optimizer's state carry over. ``X`` is
        a NumPy array or a row-chunked Dask array (a pass over its blocks, shuffled at block
        level and within each block). See :mod:`._streaming`; returns ``self``."""
        return partial_fit_mlp(self, X, y, sample_weight, classes)

    def _weigh_samples(self, target: np.ndarray, sample_weight: np.ndarray | None,
                       dtype: np.dtype) -> np.ndarray | None:
        """Each sample's weight in the loss: its sample weight times its class's weight
        (:func:`~fromscratch._validation.class_sample_weight`, LogisticRegression's rule)."""
        index = target.reshape(-1).astype(np.intp)  # the class indices (a 0/1 column for two)
        return class_sample_weight(self.class_weight, self.classes_, index, sample_weight,
                                   type(self).__name__, dtype)

    def _data_loss(self, output: Any, target: np.ndarray, weight: np.ndarray | None) -> Any:
        if weight is None:
            if self.out_activation_ == "logistic":
                return F.binary_cross_entropy_with_logits(output, target)
            return F.cross_entropy(output, target)
        if self.out_activation_ == "logistic":
            losses = F.binary_cross_entropy_with_logits(output, target, reduction="none")[:, 0]
        else:
            losses = F.cross_entropy(output, target, reduction="none")
        return anp.sum(losses * weight) / weight.sum()

    def _validation_score(self, X: np.ndarray, y: np.ndarray,
                          weight: np.ndarray | None) -> float:
        return self.score(X, y, sample_weight=weight)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape ``(n_samples, n_classes)``, columns in ``classes_``
        (lazily, with the row chunks, for a Dask array)."""
        if is_dask_array(X):
            return map_method(self, "predict_proba", X)
        X = self._validate_predict(X)
        logits = self._forward(X)
        if self.out_activation_ == "logistic":
            p = F.sigmoid(logits)
            return np.hstack([1.0 - p, p])
        return F.softmax(logits, dim=1)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        if is_dask_array(X):
            return map_method(self, "predict_log_proba", X)
        return np.log(self.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each sample (lazily for a Dask array)."""
        if is_dask_array(X):
            return map_method(self, "predict", X)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class MLPRegressor(RegressorMixin, _BaseMLP):
    r"""A multi-layer perceptron regressor trained by backpropagation (scikit-learn's API).

    Identity output, squared-error loss :math:`\frac{1}{2}\|f(x) - y\|^2` averaged over samples
    and outputs (scikit-learn's). One output per target column (``y`` may be 2-D).
    ``hidden_layer_sizes=()`` with ``alpha=0`` is ordinary least squares.

    Parameters and attributes are those of :class:`MLPClassifier` (without ``classes_``;
    ``out_activation_`` is ``"identity"``; early stopping monitors :math:`R^2`).

    Examples
    --------
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
    >>> reg = MLPRegressor((), alpha=0.0, learning_rate_init=0.05, max_iter=2000,
    ...                    random_state=0).fit(X, 3 * X.ravel() + 1)
    >>> np.round(reg.coefs_[0].ravel(), 3), np.round(reg.intercepts_[0], 3)
    (array([3.]), array([1.]))
    """

    def _encode_targets(self, y: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
        self._set_outputs(1 if y.ndim == 1 else y.shape[1])
        return self._as_target(y)

    def _set_outputs(self, n_outputs: int) -> None:
        """The output layer: ``n_outputs`` identity units."""
        self.out_activation_ = "identity"
        self.n_outputs_ = n_outputs

    @staticmethod
    def _as_target(y: np.ndarray) -> np.ndarray:
        """The loss's target: a column per output."""
        return y.reshape(len(y), -1)

    def _block_target(self, y: Any, start: int, stop: int) -> np.ndarray:
        """The target of one block of ``y`` (NaN or infinity refused with the block's rows)."""
        y = np.asarray(y, dtype=np.float64)
        check_finite_block(y, "y", start, stop)
        target = self._as_target(y)
        if target.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {target.shape[1]} outputs, but {type(self).__name__} has "
                f"{self.n_outputs_}; partial_fit continues the same network."
            )
        return target

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> MLPRegressor:
        """One pass (epoch) of mini-batches over ``(X, y)``, continuing from the previous
        call (scikit-learn's ``partial_fit``): the weights and the optimizer's state carry
        over. ``X`` is a NumPy array or a row-chunked Dask array (a pass over its blocks,
        shuffled at block level and within each block). See :mod:`._streaming`; returns
        ``self``."""
        return partial_fit_mlp(self, X, y, sample_weight)

    _multi_output = True  # y may have several columns, one per output

    def _data_loss(self, output: Any, target: np.ndarray, weight: np.ndarray | None) -> Any:
        if weight is None:
            return F.mse_loss(output, target) / 2
        squares = F.mse_loss(output, target, reduction="none")  # (|B|, n_outputs)
        return anp.sum(squares * weight[:, None]) / (2 * weight.sum() * target.shape[1])

    def _validation_score(self, X: np.ndarray, y: np.ndarray,
                          weight: np.ndarray | None) -> float:
        return self.score(X, y, sample_weight=weight)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted targets, shape ``(n_samples,)`` (or ``(n_samples, n_outputs)``); lazily,
        with the row chunks, for a Dask array."""
        if is_dask_array(X):
            return map_method(self, "predict", X)
        X = self._validate_predict(X)
        output = self._forward(X)
        return output.ravel() if self.n_outputs_ == 1 else output  # as scikit-learn
