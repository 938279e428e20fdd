"""Every way a trainer's file can be wrong gets a clear message naming the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.data import Dataset, TrainingDataError, load_file, validate


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_csv_with_title_and_body(tmp_path: Path) -> None:
    f = _csv(
        tmp_path / "a.csv", "title,body,category\n停水,小区停水三天,城乡建设\n,拖欠工资,劳动和社会保障\n"
    )
    data = load_file(f, "category")
    assert data.texts == ["停水。小区停水三天", "拖欠工资"]
    assert data.labels == ["城乡建设", "劳动和社会保障"]


def test_reads_jsonl_with_a_text_column(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text(
        "\n".join(
            json.dumps({"text": t, "urgency": u}, ensure_ascii=False)
            for t, u in [("着火了", "emergency"), ("咨询社保", "normal")]
        ),
        encoding="utf-8",
    )
    assert load_file(f, "urgency").labels == ["emergency", "normal"]


@pytest.mark.parametrize(
    ("content", "encoding", "message"),
    [
        ("body,tag\n停水,城乡建设\n", "utf-8", "no 'category' column"),
        ("title,category\n停水,城乡建设\n", "utf-8", "no text column"),
        ("body,category\n停水,城乡建设\n停电,\n", "utf-8", "empty 'category' label"),
        ("body,category\n停水,城乡建设\n", "gbk", "not UTF-8"),
        ("body,category,body\n停水,城乡建设,x\n", "utf-8", "duplicated column"),
        ("", "utf-8", "empty"),
        ("body,category\n停水,城乡建设,多余\n", "utf-8", "fields but the header"),
        ("body,category\n停水,城乡建设\nbody,category\n停电,城乡建设\n", "utf-8", "row 3 repeats the header"),
    ],
)
def test_bad_files_fail_with_a_clear_message(
    tmp_path: Path, content: str, encoding: str, message: str
) -> None:
    f = _csv(tmp_path / "bad.csv", content, encoding)
    with pytest.raises(TrainingDataError, match=message):
        load_file(f, "category")


def test_one_class_is_refused(tmp_path: Path) -> None:
    data = load_file(_csv(tmp_path / "one.csv", "body,category\n停水,城乡建设\n停电,城乡建设\n"), "category")
    with pytest.raises(TrainingDataError, match="at least two classes"):
        validate(data, "category")


def test_urgency_labels_must_be_tiers() -> None:
    with pytest.raises(TrainingDataError, match="not allowed"):
        validate(Dataset(["a", "b"], ["normal", "very-urgent"]), "urgency")


def test_bad_jsonl_line_is_named(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"text": "停水", "category": "城乡建设"}\n{not json\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match="line 2"):
        load_file(f, "category")


def test_fingerprint_ignores_order_but_not_labels() -> None:
    a = Dataset(["x", "y"], ["1", "2"])
    assert a.fingerprint == Dataset(["y", "x"], ["2", "1"]).fingerprint
    assert a.fingerprint != Dataset(["x", "y"], ["2", "1"]).fingerprint


def test_categories_the_city_lacks_are_refused(city_config) -> None:  # type: ignore[no-untyped-def]
    from training.trainer import check_against_config

    data = Dataset(["路灯坏了", "外星人来了"], ["城乡建设", "外星人事务"])
    with pytest.raises(TrainingDataError, match="外星人事务"):
        check_against_config("category", data, city_config)
    assert check_against_config("category", Dataset(["a", "b"], ["城乡建设", "环境保护"]), city_config) == []


def test_a_label_column_serves_as_the_trainer_page_import_reads_it(tmp_path: Path) -> None:
    data = load_file(_csv(tmp_path / "web.csv", "text,label\n停水,城乡建设\n噪音,环境保护\n"), "category")
    assert data.labels == ["城乡建设", "环境保护"]
