"""Hot issues on the real message set ``votes.csv`` (read from ../shared/data, never copied).

Checks properties, not hard-coded clusters: each of the top 10 issues is about one place (most members
name the issue's place), about one matter (most members contain one of its top key terms), backed by
several distinct authors, and ranked by its score. The report over them renders to a PDF.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reports.daily import default_embed
from reports.hot_issues import HotIssueSettings, detect_hot_issues, messages_from_csv
from reports.places import place_spans

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def test_top_ten_votes_clusters_are_one_matter_in_one_place(shared_data: Path) -> None:
    messages = messages_from_csv(shared_data / "cases" / "votes.csv")
    assert len(messages) > 4000
    settings = HotIssueSettings()
    result = detect_hot_issues(messages, settings, default_embed(settings))
    top = result.issues[:10]
    assert len(top) == 10
    by_id = {m.id: m for m in messages}
    for issue in top:
        texts = [by_id[i].title + by_id[i].body[: settings.text_chars] for i in issue.member_ids]
        assert issue.count >= settings.min_size and issue.distinct_authors >= settings.min_authors
        # places are compared as extracted (company legal forms dropped: 某某有限公司 → 某某公司)
        place_share = sum(issue.place in t or issue.place in " ".join(place_spans(t)) for t in texts) / len(
            texts
        )
        assert place_share >= 0.5, (issue.label, place_share)
        terms = issue.key_terms[:3]
        matter_share = sum(any(term in t for term in terms) for t in texts) / len(texts)
        assert matter_share >= 0.6, (issue.label, matter_share)
        assert issue.last_seen - issue.first_seen <= dt.timedelta(days=365)
    assert [i.score for i in top] == sorted((i.score for i in top), reverse=True)
