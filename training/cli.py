"""CLI for trainers and operators: ``intake train | eval | triage | models``.

`register(app)` adds the commands to the root ``intake`` Typer app. Every failure a user can cause
(bad training file, unknown version, nothing to roll back) prints one ``error:`` line and exits with
status 2; nothing here swallows an error into a changed model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from classifiers.base import ClassifierError
from classifiers.store import HEADS, ModelStore, ModelStoreError
from training.data import Dataset, TrainingDataError, load_file, load_files, load_from_db, read_records

models_app = typer.Typer(help="List, promote and roll back trained model versions.", no_args_is_help=True)

Head = Annotated[str, typer.Argument(help=f"one of: {', '.join(HEADS)}")]
ModelsDir = Annotated[
    Path | None, typer.Option("--models", help="model registry directory (default: $INTAKE_HOME/models)")
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="city config YAML (default: the demo city)")]


def _settings():  # type: ignore[no-untyped-def]
    from serving.settings import Settings

    return Settings()


def _models_dir(path: Path | None) -> Path:
    return Path(path) if path is not None else _settings().models_dir


def _config(path: Path | None):  # type: ignore[no-untyped-def]
    from workorders.config import load_city_config

    return load_city_config(path if path is not None else _settings().city_config)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _check_head(head: str) -> None:
    if head not in HEADS:
        _fail(f"unknown head {head!r}; heads are {', '.join(HEADS)}")


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


# -- train -------------------------------------------------------------------------------------


def train(
    head: Head,
    data: Annotated[list[Path] | None, typer.Option("--data", help="CSV or JSONL file (repeatable)")] = None,
    from_db: Annotated[
        str | None, typer.Option("--from-db", help="database URL: read labelled_examples")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="model registry directory")] = None,
    backend: Annotated[
        str | None, typer.Option(help="classifier backend (see `intake models backends`)")
    ] = None,
    eval_file: Annotated[Path | None, typer.Option("--eval", help="measure on this labelled file")] = None,
    holdout: Annotated[float, typer.Option(help="share held out for metrics when --eval is not given")] = 0.1,
    unlabeled: Annotated[
        list[Path] | None, typer.Option("--unlabeled", help="unlabelled texts for semi-supervised backends")
    ] = None,
    promote: Annotated[
        bool | None, typer.Option("--promote/--no-promote", help="default: promote only if none is active")
    ] = None,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Train a head on labelled orders and register it as a new model version."""
    from training.trainer import train_head

    _check_head(head)
    if not data and not from_db:
        _fail("give --data FILE (CSV/JSONL) and/or --from-db URL")
    try:
        dataset = Dataset([], [], [])
        if data:
            dataset = dataset.extend(load_files(data, head))
        if from_db:
            dataset = dataset.extend(load_from_db(from_db, head))
        eval_data = load_file(eval_file, head) if eval_file else None
        extra = _read_texts(unlabeled or [])
        result = train_head(
            head,
            dataset,
            ModelStore(_models_dir(out)),
            backend=backend,
            promote=promote,
            eval_data=eval_data,
            holdout=holdout,
            unlabeled=extra or None,
            config=_config(config),
            run_args={
                "head": head,
                "data": [str(p) for p in data or []],
                "from_db": bool(from_db),
                "backend": backend,
                "eval": str(eval_file) if eval_file else None,
                "holdout": holdout,
                "unlabeled": [str(p) for p in unlabeled or []],
            },
            progress=not as_json and sys.stderr.isatty(),
        )
    except (TrainingDataError, ClassifierError, ModelStoreError) as err:
        _fail(str(err))
        return
    summary = {
        "head": result.head,
        "version": result.version,
        "path": str(result.path),
        "promoted": result.promoted,
        "seconds": result.seconds,
        "metrics": {k: result.metrics.get(k) for k in ("n", "accuracy", "macro_f1", "measured_on")}
        if result.metrics
        else None,
    }
    if as_json:
        typer.echo(_dump(summary))
        return
    typer.echo(f"trained {head} {result.version} in {result.seconds:.1f}s → {result.path}")
    if result.metrics:
        m = result.metrics
        typer.echo(
            f"  {m['measured_on']}: n={m['n']} accuracy={m['accuracy']:.4f} macro-F1={m['macro_f1']:.4f}"
        )
    typer.echo(
        "  promoted: now active"
        if result.promoted
        else f"  not promoted: intake models promote {head} {result.version}"
    )


def _read_texts(paths: list[Path]) -> list[str]:
    """Texts of unlabelled files (any file with a body/text column; labels are ignored)."""
    from classifiers.text import compose

    texts: list[str] = []
    for path in paths:
        for row in read_records(path):
            text = compose(row.get("title"), row.get("body") or row.get("text"))
            if text:
                texts.append(text)
    return texts


# -- eval --------------------------------------------------------------------------------------


def eval_cmd(
    head: Head,
    data: Annotated[Path, typer.Option("--data", help="labelled CSV or JSONL file")],
    model: Annotated[
        Path | None, typer.Option("--model", help="model version directory (default: the active model)")
    ] = None,
    models: ModelsDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="write an HTML report into this directory")
    ] = None,
    threshold: Annotated[float, typer.Option(help="abstention threshold for coverage figures")] = 0.5,
) -> None:
    """Evaluate a head on labelled data (accuracy, macro-F1, per-class figures, confusion matrix)."""
    from classifiers.heads import HeadModel
    from training.evaluate import evaluate, resolve_model_dir
    from training.report import write_report

    _check_head(head)
    try:
        dataset = load_file(data, head)
        try:
            model_dir = resolve_model_dir(model if model is not None else _models_dir(models), head)
            loaded = HeadModel.load(model_dir)
        except FileNotFoundError as err:
            if head != "urgency" or model is not None:
                _fail(str(err))
                return
            loaded = None  # urgency without a learned model: the rules alone
        metrics = evaluate(head, loaded, dataset, abstain_threshold=threshold)
    except (TrainingDataError, ClassifierError, ModelStoreError) as err:
        _fail(str(err))
        return
    if report is not None:
        path = write_report(metrics, report)
        metrics["report"] = str(path)
    if as_json:
        typer.echo(_dump(metrics))
        return
    typer.echo(
        f"{head}: n={metrics['n']} accuracy={metrics['accuracy']:.4f} macro-F1={metrics['macro_f1']:.4f}"
    )
    for label, v in metrics["per_class"].items():
        typer.echo(
            f"  {label:<14} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} n={v['support']}"
        )
    if "non_normal" in metrics:
        typer.echo(f"  non-normal: {metrics['non_normal']}  emergency: {metrics['emergency']}")
    if report is not None:
        typer.echo(f"report: {metrics['report']}")


# -- triage ------------------------------------------------------------------------------------


def triage_cmd(
    text: Annotated[str | None, typer.Argument(help="the message to triage")] = None,
    title: Annotated[str | None, typer.Option(help="title, when the message has one")] = None,
    jsonl: Annotated[
        Path | None, typer.Option("--jsonl", help='file of {"id","text"} lines ("-" for stdin)')
    ] = None,
    models: ModelsDir = None,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    threshold: Annotated[float, typer.Option(help="abstain below this category confidence")] = 0.5,
) -> None:
    """Triage a message (or a JSONL file of messages) with the active models."""
    from classifiers.triage import Triager

    if text is None and jsonl is None:
        _fail('give a TEXT or --jsonl FILE of {"id","text"} lines')
    if text is not None and jsonl is not None:
        _fail("give a TEXT or --jsonl FILE, not both")
    if text is not None and not text.strip():
        _fail("the text is empty")
    triager = Triager.load(_models_dir(models), _config(config), abstain_threshold=threshold)
    if jsonl is not None:
        _triage_jsonl(triager, jsonl)
        return
    result = triager.triage(text or "", title=title).model_dump(mode="json")
    if as_json:
        typer.echo(_dump(result))
        return
    cat = result["category"]
    typer.echo(
        f"category:    {cat['label'] or '(abstained)'} ({cat['confidence']:.2f}); top3 "
        + ", ".join(f"{t['label']} {t['confidence']:.2f}" for t in cat["top3"])
    )
    if result["departments"]:
        d = result["departments"]
        typer.echo(f"departments: {d['lead_name']} ({d['topic']}) + {', '.join(d['assisting_names']) or '-'}")
    u = result["urgency"]
    typer.echo(f"urgency:     {u['tier']} ({u['deadline_rule']}) {'; '.join(u['reasons'][:2])}")
    if result["emergency"]:
        typer.echo(f"EMERGENCY:   call {result['emergency']['number']} {result['emergency']['name']}")
    if result["redirect"]:
        r = result["redirect"]
        typer.echo(f"redirect:    {r['kind']} → {r['channel']} ({r['citation']})")
    typer.echo(f"matter type: {result['matter_type']['label']}")
    typer.echo(f"evidence:    {', '.join(result['evidence']['terms'])}")


def _triage_jsonl(triager: Any, path: Path) -> None:
    if str(path) == "-":
        _triage_lines(triager, sys.stdin)
        return
    if not Path(path).is_file():
        _fail(f"{path}: file not found")
    with Path(path).open(encoding="utf-8") as stream:
        _triage_lines(triager, stream)


def _triage_lines(triager: Any, stream: Any) -> None:
    """One JSON result per input line, in order, each carrying its input's id.

    A malformed line gets an ``error`` object (with its line number) instead of stopping the
    batch, so the output stays aligned with the input.
    """
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as err:
            typer.echo(_dump({"id": None, "line": lineno, "error": f"not valid JSON: {err}"}))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            item_id = item.get("id") if isinstance(item, dict) else None
            typer.echo(
                _dump(
                    {
                        "id": item_id,
                        "line": lineno,
                        "error": 'expected an object with a non-empty "text" string',
                    }
                )
            )
            continue
        result = triager.triage(item["text"], title=item.get("title"))
        typer.echo(_dump({"id": item.get("id"), **result.model_dump(mode="json")}))


# -- models ------------------------------------------------------------------------------------


@models_app.command("list")
def models_list(
    head: Annotated[str | None, typer.Argument(help="only this head")] = None,
    models: ModelsDir = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List model versions (newest last); * marks the active one."""
    if head is not None:
        _check_head(head)
    infos = ModelStore(_models_dir(models)).list(head)
    rows = [
        {
            "head": i.head,
            "version": i.version,
            "active": i.active,
            "backend": i.manifest.get("backend"),
            "created_at": i.created_at,
            "n_train": (i.manifest.get("data") or {}).get("n"),
            "macro_f1": i.metrics.get("macro_f1"),
            "path": str(i.path),
        }
        for i in infos
    ]
    if as_json:
        typer.echo(_dump(rows))
        return
    if not rows:
        typer.echo("no models yet: intake train <head> --data FILE")
        return
    for r in rows:
        f1 = f"{r['macro_f1']:.4f}" if isinstance(r["macro_f1"], float) else "-"
        typer.echo(
            f"{'*' if r['active'] else ' '} {r['head']:<12} {r['version']}  {r['backend']:<16} n={r['n_train']} macro-F1={f1}"
        )


@models_app.command("promote")
def models_promote(
    head: Head,
    version: Annotated[str, typer.Argument(help="version name from `intake models list`")],
    models: ModelsDir = None,
) -> None:
    """Make a version the active model (atomic; running servers pick it up without a restart)."""
    _check_head(head)
    try:
        ModelStore(_models_dir(models)).promote(head, version)
    except ModelStoreError as err:
        _fail(str(err))
    typer.echo(f"{head}: {version} is now active")


@models_app.command("rollback")
def models_rollback(head: Head, models: ModelsDir = None) -> None:
    """Re-activate the version that was active before the current one."""
    _check_head(head)
    try:
        version = ModelStore(_models_dir(models)).rollback(head)
    except ModelStoreError as err:
        _fail(str(err))
        return
    typer.echo(f"{head}: rolled back to {version}")


@models_app.command("compare")
def models_compare(
    head: Head,
    first: Annotated[str, typer.Argument(help="version to compare against, or 'active'")],
    second: Annotated[str, typer.Argument(help="candidate version, or 'active'")],
    data: Annotated[Path, typer.Option("--data", help="labelled CSV or JSONL file both versions predict")],
    models: ModelsDir = None,
    show: Annotated[int, typer.Option(help="disagreements to list")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Compare two versions on the same labelled data: metrics, per-class change, McNemar test."""
    from classifiers.heads import HeadModel
    from training.compare import compare_versions

    _check_head(head)
    store = ModelStore(_models_dir(models))
    try:
        dataset = load_file(data, head)
        loaded = []
        for version in (first, second):
            name = store.active_version(head) if version == "active" else version
            if name is None or name not in store.versions(head):
                raise ModelStoreError(f"{head} has no version {version!r} (see intake models list {head})")
            loaded.append(HeadModel.load(store.head_dir(head) / name))
        result = compare_versions(head, loaded[0], loaded[1], dataset, show=show)
    except (TrainingDataError, ClassifierError, ModelStoreError) as err:
        _fail(str(err))
        return
    if as_json:
        typer.echo(_dump(result))
        return
    a, b, m = result["first"], result["second"], result["mcnemar"]
    typer.echo(f"{head} on {result['n']} messages: {a['model_version']} → {b['model_version']}")
    typer.echo(
        f"  macro-F1 {a['macro_f1']:.4f} → {b['macro_f1']:.4f} ({result['macro_f1_change']:+.4f}); "
        f"accuracy {a['accuracy']:.4f} → {b['accuracy']:.4f}; agreement {result['agreement']:.1%}"
    )
    typer.echo(
        f"  only {a['model_version']} right: {m['only_first_right']}; only {b['model_version']} right: "
        f"{m['only_second_right']}; McNemar p = {m['p_value']:.3g}"
        + (" (not a significant difference)" if m["p_value"] >= 0.05 else "")
    )
    for label, change in result["per_class_f1_change"].items():
        typer.echo(
            f"  {label:<14} F1 {a['per_class'].get(label, 0):.3f} → {b['per_class'].get(label, 0):.3f} ({change:+.3f})"
        )
    for d in result["disagreements"]:
        typer.echo(f"  [{d['label']}] {d['first']} → {d['second']}: {d['text']}")


@models_app.command("backends")
def models_backends() -> None:
    """List the classifier backends that `intake train --backend` accepts."""
    from classifiers.registry import backends

    for name, spec in sorted(backends().items()):
        typer.echo(f"{name:<16} {spec.description}")


def register(app: typer.Typer) -> None:
    """Add ``train``, ``eval``, ``triage`` and the ``models`` group to the root ``intake`` app."""
    app.command("train")(train)
    app.command("eval")(eval_cmd)
    app.command("triage")(triage_cmd)
    app.add_typer(models_app, name="models")
