"""Neural networks: PyTorch-style modules on the autodiff engine, hand-written backpropagation,
and scikit-learn-compatible MLP estimators.

* Modules: :class:`Module`, :class:`Parameter`, :class:`Sequential`, :class:`ModuleList`;
  layers :class:`Linear`, :class:`Dropout`, :class:`Identity`, :class:`Flatten`; activations
  :class:`Sigmoid`, :class:`Tanh`, :class:`ReLU`, :class:`LeakyReLU`, :class:`Softmax`,
  :class:`LogSoftmax`; losses :class:`MSELoss`, :class:`BCEWithLogitsLoss`,
  :class:`CrossEntropyLoss` (with class weights and label smoothing).
  ``fromscratch.nn.functional`` has the same operations as functions, ``fromscratch.nn.init``
  the weight initializers (also in place, as PyTorch spells them: ``kaiming_uniform_``...) and
  ``fromscratch.nn.utils`` gradient clipping (``clip_grad_norm_``, ``clip_grad_value_``).
* Training: :class:`DataLoader` (mini-batches) and :func:`fit` (the training loop, with
  validation, early stopping and a learning-rate scheduler), returning a :class:`History`.
* :class:`~fromscratch.nn.backprop.FeedForwardNetwork`: the δ recurrence written by hand.
* :class:`MLPClassifier`, :class:`MLPRegressor`: scikit-learn estimators.
"""

from fromscratch.nn import functional, init, utils
from fromscratch.nn.activations import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from fromscratch.nn.backprop import FeedForwardNetwork
from fromscratch.nn.data import DataLoader
from fromscratch.nn.layers import Dropout, Flatten, Identity, Linear
from fromscratch.nn.losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from fromscratch.nn.mlp import MLPClassifier, MLPRegressor
from fromscratch.nn.module import Module, ModuleList, Parameter, Sequential
from fromscratch.nn.training import DivergenceError, EarlyStopping, History, fit

__all__ = [
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "DataLoader",
    "DivergenceError",
    "Dropout",
    "EarlyStopping",
    "FeedForwardNetwork",
    "Flatten",
    "History",
    "Identity",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MLPClassifier",
    "MLPRegressor",
    "MSELoss",
    "Module",
    "ModuleList",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "fit",
    "functional",
    "init",
    "utils",
]
