"""A CJK font for matplotlib, found by family name, so that Chinese labels render instead of boxes.

Matplotlib's default font (DejaVu Sans) has no Chinese glyphs. Debian's ``fonts-noto-cjk`` provides
"Noto Sans CJK SC"; other systems have other families, so several are tried in order. Settings are
applied in a `matplotlib.rc_context` around each rendering, never globally at import time.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

#: Families tried in order (Simplified Chinese first).
PREFERRED_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
INSTALL_HINT = "install a CJK font, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu"


@functools.cache
def find_cjk_font() -> str | None:
    """The first installed CJK font family, or None; cached, as scanning fonts is slow-ish."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in PREFERRED_CJK_FAMILIES:
        if family in installed:
            return family
    fallback = sorted(n for n in installed if "CJK" in n or "Hei" in n or "Song" in n)
    return fallback[0] if fallback else None


@contextmanager
def cjk_rc() -> Iterator[str | None]:
    """Matplotlib settings for Chinese text for the duration of a rendering; yields the family used.

    Warns (once per process, through `warnings`) when no CJK font is installed: charts still render,
    but Chinese glyphs will be missing.
    """
    import matplotlib

    family = find_cjk_font()
    if family is None:
        warnings.warn(
            f"no CJK font found: Chinese text in charts will not render; {INSTALL_HINT}", stacklevel=2
        )
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    with matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": fonts,
            "axes.unicode_minus": False,
            # Type 3 (matplotlib's default) embeds the CFF-flavoured Noto CJK glyphs cleanly, with a
            # ToUnicode map so the text stays searchable; Type 42 makes poppler warn about a mismatch.
            "pdf.fonttype": 3,
        }
    ):
        yield family
