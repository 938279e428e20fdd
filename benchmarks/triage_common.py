"""Shared helpers of the triage benchmarks: where the real data is and how to read it.

The real data is never copied into the repository: it is read from ``INTAKE_SHARED_DATA`` or
``../shared/data`` beside the repository.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.text import compose, normalize  # noqa: E402


def shared_data() -> Path:
    path = Path(os.environ.get("INTAKE_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not (path / "cases" / "category_train.csv").is_file():
        sys.exit(f"real data not found at {path}; set INTAKE_SHARED_DATA")
    return path


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def category_split(
    name: str, *, with_title: bool = True, limit: int | None = None
) -> tuple[list[str], list[str]]:
    """Texts and labels of ``cases/category_<name>.csv`` (title + body, or the body alone)."""
    import pandas as pd

    df = pd.read_csv(shared_data() / "cases" / f"category_{name}.csv")
    if limit:
        df = df.sample(n=min(limit, len(df)), random_state=0)
    texts = [compose(_str(t) if with_title else None, b) for t, b in zip(df.title, df.body, strict=True)]
    return texts, df.category.tolist()


def unlabeled_texts(exclude: set[str] | None = None) -> list[str]:
    """The unlabelled messages (replies, votes, unlabeled), without any text in `exclude`.

    Dev bodies also occur in these files; they are excluded so that semi-supervised training never
    sees the evaluation texts.
    """
    import pandas as pd

    exclude = exclude or set()
    out: list[str] = []
    for name in ("replies.csv", "votes.csv", "unlabeled.csv"):
        df = pd.read_csv(shared_data() / "cases" / name)
        for t, b in zip(df.title, df.body, strict=True):
            if isinstance(b, str) and normalize(b) not in exclude:
                out.append(compose(_str(t), b))
    return list(dict.fromkeys(out))


def dev_bodies() -> set[str]:
    import pandas as pd

    df = pd.read_csv(shared_data() / "cases" / "category_dev.csv")
    return {normalize(b) for b in df.body}


def titles_extra(*, decontaminate: float | None = 0.35) -> tuple[list[str], list[str]]:
    """Extra title-only examples from ``titles_train.csv``, minus dev and train titles.

    ``titles_train.csv`` holds the titles of (almost) the same message pool the dev split comes
    from, including the titles of dev messages whose rows carry only a body. Using it unfiltered
    leaks dev labels. With `decontaminate`, a title is dropped when a dev text (first 300
    characters) covers at least that share of its character bigrams.
    """
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer

    base = shared_data() / "cases"
    tt = pd.read_csv(base / "titles_train.csv")
    tr = pd.read_csv(base / "category_train.csv")
    dv = pd.read_csv(base / "category_dev.csv")

    def strip(s: str) -> str:
        return re.sub(r"\s+", "", normalize(s))

    seen = {strip(t) for t in pd.concat([tr.title, dv.title]).dropna()}
    keep = [i for i, t in enumerate(tt.title) if strip(t) not in seen]
    titles = [strip(tt.title[i]) for i in keep]
    labels = [tt.category[i] for i in keep]
    if decontaminate is None:
        return titles, labels
    vec = CountVectorizer(analyzer="char", ngram_range=(2, 2), binary=True).fit(titles)
    t = vec.transform(titles)
    sizes = np.asarray(t.sum(axis=1)).ravel() + 1e-9
    dev_docs = [strip(compose(_str(a), b))[:300] for a, b in zip(dv.title, dv.body, strict=True)]
    cover = ((t @ vec.transform(dev_docs).T).toarray() / sizes[:, None]).max(axis=1)
    mask = cover < decontaminate
    return [x for x, m in zip(titles, mask, strict=True) if m], [
        y for y, m in zip(labels, mask, strict=True) if m
    ]


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 1e6
