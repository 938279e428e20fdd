"""Category head: train candidates on category_train.csv, measure macro-F1 on category_dev.csv.

Prints, per backend: macro-F1 and accuracy with title+body and on the body alone (chat messages
have no title), calibration (ECE), coverage/accuracy at the abstention threshold, training time
and model size on disk.

    .venv/bin/python benchmarks/triage_category.py                              # tfidf.v1
    .venv/bin/python benchmarks/triage_category.py --backends tfidf.v1 tfidf_words.v1 fasttext.v1
    .venv/bin/python benchmarks/triage_category.py --unlabeled                  # + unlabelled texts
    .venv/bin/python benchmarks/triage_category.py --titles-extra 0.35          # + decontaminated titles
    .venv/bin/python benchmarks/triage_category.py --limit 1500                 # quick, on a sample

Run on 2 cores (the target machine): ``taskset -c 0,1`` and OMP/MKL threads set to 2.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from triage_common import category_split, dev_bodies, dir_size_mb, titles_extra, unlabeled_texts

from classifiers.registry import create
from training.evaluate import abstention_metrics, classification_metrics


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", nargs="+", default=["tfidf.v1"])
    parser.add_argument("--options", default="{}", help="JSON backend options, applied to every backend")
    parser.add_argument("--limit", type=int, default=None, help="train on a random sample of this size")
    parser.add_argument("--unlabeled", action="store_true", help="give the ~10k unlabelled texts to fit()")
    parser.add_argument(
        "--titles-extra",
        type=float,
        default=None,
        metavar="COVER",
        help="add titles_train.csv titles, dropping those a dev text covers at >= COVER (leak filter)",
    )
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    x_train, y_train = category_split("train", limit=args.limit)
    if args.titles_extra is not None:
        tx, ty = titles_extra(decontaminate=args.titles_extra)
        x_train, y_train = x_train + tx, y_train + ty
    x_dev, y_dev = category_split("dev")
    x_dev_body, _ = category_split("dev", with_title=False)
    unlabeled = unlabeled_texts(exclude=dev_bodies()) if args.unlabeled else None
    options = json.loads(args.options)

    rows = []
    for name in args.backends:
        clf = create(name, **options)
        started = time.perf_counter()
        clf.fit(x_train, y_train, unlabeled=unlabeled)
        fit_s = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as tmp:
            clf.save(Path(tmp) / "m")
            size = dir_size_mb(Path(tmp) / "m")
        row = {
            "backend": name,
            "n_train": len(x_train),
            "fit_seconds": round(fit_s, 1),
            "size_mb": round(size, 1),
        }
        for key, texts in (("title_body", x_dev), ("body_only", x_dev_body)):
            proba = clf.predict_proba(texts)
            pred = [clf.labels[i] for i in proba.argmax(axis=1)]
            m = classification_metrics(y_dev, pred)
            a = abstention_metrics(y_dev, proba, clf.labels, args.threshold)
            row[key] = {
                "macro_f1": m["macro_f1"],
                "accuracy": m["accuracy"],
                "ece": a["ece"],
                "coverage": a["coverage"],
                "accuracy_when_suggested": a["accuracy_when_suggested"],
                "top3_accuracy": a["top3_accuracy"],
            }
        rows.append(row)
        if not args.json:
            tb, bo = row["title_body"], row["body_only"]
            suggested = tb["accuracy_when_suggested"]
            print(
                f"{name:<16} n={row['n_train']} macro-F1 title+body {tb['macro_f1']:.4f} body {bo['macro_f1']:.4f} | "
                f"acc {tb['accuracy']:.4f}/{bo['accuracy']:.4f} | ECE {tb['ece']:.3f} | "
                f"coverage@{args.threshold} {tb['coverage']:.3f} acc {suggested if suggested is None else round(suggested, 4)} | "
                f"top3 {tb['top3_accuracy']:.4f} | fit {row['fit_seconds']}s | {row['size_mb']} MB",
                flush=True,
            )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
