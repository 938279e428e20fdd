from __future__ import annotations

from pathlib import Path

from classifiers.evidence import CaseIndex


def test_similar_cases_rank_the_closest_first(tmp_path: Path) -> None:
    index = CaseIndex().build(
        ["小区停水三天了没人管", "公司拖欠工资半年", "学校乱收资料费", "楼道停电一整天"],
        ["城乡建设", "劳动和社会保障", "教育文体", "城乡建设"],
    )
    top = index.similar("小区楼道又停水停电了", k=3)
    assert len(top) >= 2
    assert top[0].label == "城乡建设" and ("停水" in top[0].text or "停电" in top[0].text)
    assert [c.score for c in top] == sorted((c.score for c in top), reverse=True)
    index.save(tmp_path)
    again = CaseIndex.load(tmp_path)
    assert [c.text for c in again.similar("拖欠工资", k=1)] == ["公司拖欠工资半年"]
    assert all(c.label == "教育文体" for c in again.similar("停水", k=3, label="教育文体"))


def test_empty_index_returns_nothing(tmp_path: Path) -> None:
    assert CaseIndex.load(tmp_path).similar("任何文本") == []
