"""HTML evaluation report with a confusion-matrix picture (``intake eval --report DIR``).

A trainer deciding whether to promote a model wants to see *which* classes get confused, not just
one number; the picture makes that visible at a glance, and the page is a single static file that
can be attached to a change request.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np


def plot_confusion(labels: list[str], matrix: list[list[int]], path: Path) -> None:
    """Row-normalised confusion matrix with counts, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    cjk = [
        f.name
        for f in font_manager.fontManager.ttflist
        if any(
            key in f.name
            for key in (
                "Noto Sans CJK",
                "Noto Serif CJK",
                "WenQuanYi",
                "SimHei",
                "Source Han",
                "Droid Sans Fallback",
            )
        )
    ]
    if cjk:
        plt.rcParams["font.family"] = cjk[0]
    m = np.asarray(matrix, dtype=float)
    rows = m.sum(axis=1, keepdims=True)
    norm = np.divide(m, rows, out=np.zeros_like(m), where=rows > 0)
    size = max(4.0, 0.7 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    # Without a CJK font the Chinese labels would render as boxes: fall back to indices.
    tick_labels = labels if cjk else [f"{i}" for i in range(len(labels))]
    ax.set_xticks(range(len(labels)), tick_labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), tick_labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(
                j, i, int(m[i, j]), ha="center", va="center", color="white" if norm[i, j] > 0.5 else "black"
            )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(metrics: dict[str, Any], directory: Path, *, title: str | None = None) -> Path:
    """Write ``index.html``, ``confusion.png`` and ``metrics.json`` into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    labels = metrics["confusion"]["labels"]
    plot_confusion(labels, metrics["confusion"]["matrix"], directory / "confusion.png")
    (directory / "metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    title = title or f"Evaluation of the {metrics.get('head', '')} head"
    esc = html.escape
    per_class = "".join(
        f"<tr><td>{i}</td><td>{esc(lab)}</td><td>{v['precision']:.3f}</td><td>{v['recall']:.3f}</td>"
        f"<td>{v['f1']:.3f}</td><td>{v['support']}</td></tr>"
        for i, (lab, v) in enumerate(metrics["per_class"].items())
    )
    extra = {k: v for k, v in metrics.items() if k in ("abstention", "non_normal", "emergency")}
    summary = (
        f"<p>n = {metrics['n']} · accuracy = {metrics['accuracy']:.4f} · macro-F1 = {metrics['macro_f1']:.4f}"
        f" · model {esc(str(metrics.get('model_version', '')))} ({esc(str(metrics.get('backend', '')))})</p>"
    )
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:right}}td:nth-child(2){{text-align:left}}</style>
</head><body>
<h1>{esc(title)}</h1>
{summary}
<h2>Per class</h2>
<table><tr><th>#</th><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>{per_class}</table>
<h2>Confusion matrix</h2>
<p>Rows are true labels, columns predictions; colour is the share of the row (numbers in the picture
refer to the # column when no Chinese font is installed).</p>
<img src="confusion.png" alt="confusion matrix">
<h2>Other figures</h2>
<pre>{esc(json.dumps(extra, ensure_ascii=False, indent=2))}</pre>
</body></html>
"""
    path = directory / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
