"""TeX to SVG with matplotlib's mathtext, so the report shows real math without a network.

Only the TeX subset mathtext understands is available (fractions, sums, Greek, accents,
``\\mathbf``, ``\\left( ... \\right)``, sub/superscripts — no ``aligned`` environments). An
expression mathtext cannot parse raises ``ValueError`` at once, so the chapter that wrote it
fails loudly instead of showing broken math.
"""

from __future__ import annotations

import base64
import functools
import io
from dataclasses import dataclass

__all__ = ["RenderedMath", "render_math"]


@dataclass(frozen=True)
class RenderedMath:
    svg: bytes
    width: float  # CSS pixels
    height: float
    depth: float  # distance of the baseline above the bottom edge

    def img_tag(self, css_class: str) -> str:
        data = base64.b64encode(self.svg).decode("ascii")
        style = f"vertical-align:{-self.depth:.1f}px" if css_class == "math-inline" else ""
        return (
            f'<img class="{css_class}" alt="math" width="{self.width:.0f}" '
            f'height="{self.height:.0f}" style="{style}" src="data:image/svg+xml;base64,{data}">'
        )


@functools.lru_cache(maxsize=4096)
def render_math(latex: str, fontsize: float = 15.0) -> RenderedMath:
    """Render ``latex`` (without surrounding ``$``) to a standalone SVG."""
    from matplotlib import mathtext, rc_context
    from matplotlib.font_manager import FontProperties

    source = f"${latex}$"
    prop = FontProperties(size=fontsize)
    try:
        width, height, depth, *_ = mathtext.MathTextParser("path").parse(source, dpi=72, prop=prop)
        buffer = io.BytesIO()
        # Glyphs as paths (the viewer needs no fonts); deterministic ids.
        with rc_context({"svg.fonttype": "path", "svg.hashsalt": "fromscratch"}):
            mathtext.math_to_image(source, buffer, prop=prop, dpi=72, format="svg")
    except ValueError as exc:
        raise ValueError(f"mathtext cannot render {latex!r}: {exc}") from None
    # SVG user units are points at 72 dpi; CSS pixels are 96 per inch.
    scale = 96 / 72
    return RenderedMath(buffer.getvalue(), width * scale, height * scale, depth * scale)

