from __future__ import annotations

from pathlib import Path

from knowledge_base.lexicon import default_lexicon, expansion_terms, load_lexicon


def test_bundled_lexicon_maps_everyday_words_to_legal_terms() -> None:
    lexicon = default_lexicon()
    assert "劳动报酬" in lexicon["工钱"]
    terms = expansion_terms("老板欠了三个月工钱")
    assert "用人单位" in terms and "劳动报酬" in terms
    assert len(terms) == len(set(terms))


def test_no_expansion_for_unrelated_text() -> None:
    assert expansion_terms("今天天气不错") == []


def test_custom_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "lex.yaml"
    path.write_text("组:\n  单车: 非机动车 停放\n", encoding="utf-8")
    lexicon = load_lexicon(path)
    assert lexicon == {"单车": ("非机动车", "停放")}
    assert expansion_terms("共享单车乱停", lexicon) == ["非机动车", "停放"]
