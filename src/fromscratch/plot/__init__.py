"""Figures: one module per family. Each function takes results and returns a matplotlib
Figure; nothing here keeps global state or calls ``plt.show()``."""
