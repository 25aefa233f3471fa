"""Chapter: the data sets (placeholder until the datasets package lands)."""

TITLE = "Data sets"


def run(ch):
    ch.text("The data sets of the curriculum. Ordinary least squares: $\\hat w = (X^\\top X)^{-1} X^\\top y$.")
    ch.equation(r"\hat{w} = \arg\min_w \frac{1}{n}\sum_{i=1}^n (y_i - x_i^\top w)^2")
    ch.check("placeholder", "itself", 0.0, 0.0)
