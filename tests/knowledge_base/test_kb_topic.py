"""An answer must name what the question is about (knowledge_base.topic)."""

from __future__ import annotations

from knowledge_base.topic import shares_topic, topic_terms


def test_shape_words_are_not_the_topic() -> None:
    terms = topic_terms("办居住证需要什么材料")
    assert "居住证" in terms
    assert not {"需要", "什么", "材料"} & set(terms)


def test_an_entry_of_the_same_shape_about_something_else_does_not_share_the_topic() -> None:
    other = "申请不动产登记的，应当根据不同登记事项提供权属证明和其他必要材料。申请不动产登记需要带哪些材料？"
    assert not shares_topic("办居住证需要什么材料", other)
    assert shares_topic("办不动产登记需要什么材料", other)


def test_the_lexicon_bridges_everyday_and_official_words() -> None:
    assert shares_topic("不留姓名能反映吗", "市民可以选择匿名，但匿名诉求办理结果无法回访告知。")
    assert not shares_topic("不留姓名能反映吗", "热线工作人员应当在受理后2小时内完成派单。")


def test_a_question_with_no_topic_word_is_not_blocked() -> None:
    assert shares_topic("怎么办", "任何条文")
