from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base.demo import demo_data_dir
from knowledge_base.regulations import chinese_to_int, int_to_chinese, load_regulations, parse_regulation


def test_one_chunk_per_article_with_citation_and_chapter(sample_guide: str) -> None:
    chunks = parse_regulation(sample_guide, source="guide.md")
    assert [c.meta["article"] for c in chunks] == ["第一条", "第二条", "第十条", "第十条之一", "第二十一条"]
    second = chunks[1]
    assert second.citation == "《测试市便民服务规定》第二条"
    assert second.meta["chapter"] == "第一章 总则"
    assert second.meta["article_number"] == 2
    assert second.kind == "regulation"
    assert second.id == "reg:测试市便民服务规定:第二条"


def test_items_and_trailing_paragraphs_stay_with_their_article(sample_guide: str) -> None:
    second = parse_regulation(sample_guide, source="guide.md")[1]
    assert "（一）水电气暖的报修" in second.text
    assert "（二）噪声扰民的投诉" in second.text
    assert second.text.endswith("受理后应当及时派单。")
    assert second.text.startswith("便民热线受理下列事项")


def test_nested_headings_form_a_chapter_path_and_reset(sample_guide: str) -> None:
    chunks = parse_regulation(sample_guide, source="guide.md")
    tenth = chunks[2]
    assert tenth.meta["chapter"] == "第二章 办理 / 第一节 时限"
    assert chunks[0].meta["chapter"] == "第一章 总则"


def test_dates_adoption_first_and_latest_version(sample_guide: str) -> None:
    first = parse_regulation(sample_guide, source="guide.md")[0]
    assert first.meta["adopted"] == "2020-01-02"
    assert first.meta["version"] == "2021-03-04"
    assert first.date == "2021-03-04"


def test_file_name_date_wins_as_version(sample_guide: str) -> None:
    first = parse_regulation(sample_guide, source="测试规定(2022-05-06).md")[0]
    assert first.date == "2022-05-06"
    assert first.meta["adopted"] == "2020-01-02"


def test_subtitle_joins_law_title_but_not_citation() -> None:
    text = "# 中华人民共和国某法典\n\n# 合同编\n\n<!-- 以上为文件信息 -->\n\n## 第一章 一般规定\n\n第四百六十三条 本编规定示范事项。\n"
    (chunk,) = parse_regulation(text, source="x.md")
    assert chunk.citation == "《中华人民共和国某法典》第四百六十三条"
    assert chunk.meta["law_title"] == "中华人民共和国某法典 合同编"
    assert chunk.meta["article_number"] == 463


def test_article_reference_inside_text_does_not_start_an_article() -> None:
    text = "# 规定\n\n<!-- 以上为文件信息 -->\n\n第一条 总则。\n\n依照第三条规定办理。\n\n第二条 其他。\n"
    chunks = parse_regulation(text, source="x.md")
    assert len(chunks) == 2
    assert "依照第三条规定办理" in chunks[0].text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十一", 21),
        ("一百零五", 105),
        ("五百七十七", 577),
        ("一千二百六十", 1260),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_int(text) == value
    assert int_to_chinese(value) == text


def test_bad_numeral_raises() -> None:
    with pytest.raises(ValueError):
        chinese_to_int("十A")


def test_load_directory_and_demo_guide(tmp_path: Path, sample_guide: str) -> None:
    (tmp_path / "a.md").write_text(sample_guide, encoding="utf-8")
    (tmp_path / "README.md").write_text("# readme\n第一条 不是法规", encoding="utf-8")
    assert len(load_regulations(tmp_path)) == 5
    guide = load_regulations([demo_data_dir() / "guide.md"])
    assert len(guide) >= 10
    assert all(c.citation and c.citation.startswith("《示范市12345热线服务指南》") for c in guide)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_regulations([tmp_path / "nope.txt"])


@pytest.mark.shared_data
def test_real_regulations_give_one_chunk_per_article_line(shared_data: Path) -> None:
    import re

    directory = shared_data / "regulations"
    chunks = load_regulations(directory)
    expected = sum(
        len(
            re.findall(
                r"^第[零〇一二三四五六七八九十百千两]+条(?:之[一二三四五六七八九十]+)?[\s\u3000]",
                p.read_text(encoding="utf-8"),
                re.M,
            )
        )
        for p in directory.glob("*.md")
    )
    assert len(chunks) == expected
    assert len({c.id for c in chunks}) == len(chunks)
    assert all(c.text and c.citation for c in chunks)


@pytest.mark.parametrize(
    ("text", "chapter", "expected"),
    [
        ("为了规范便民服务，保障市民权益，根据有关法律，制定本条例。", "第一章 总则", True),
        ("本法下列用语的含义：（一）噪声排放，是指……", "第九章 附 则", True),
        ("本法自2022年6月5日起施行。", "第九章 附 则", True),
        ("本条例自公布之日起施行。", "", True),
        ("本法所称噪声，是指干扰周围生活环境的声音。", "第一章 总则", True),
        ("国务院有关部门可以根据本条例制定实施细则。", "第七章 附则", True),
        ("用人单位应当按时足额支付劳动报酬。", "第三章 劳动合同的履行和变更", False),
        ("为了安全，施工单位应当设置围挡，并在夜间停止作业。", "第四章 建筑施工", False),
    ],
)
def test_boilerplate_articles(text: str, chapter: str, expected: bool) -> None:
    from knowledge_base.regulations import is_boilerplate

    assert is_boilerplate(text, chapter) is expected


def test_law_of_citation() -> None:
    from knowledge_base.regulations import law_of

    assert law_of("《中华人民共和国劳动合同法》第三十八条") == "《中华人民共和国劳动合同法》"
    assert law_of("没有书名号") == "没有书名号"
