"""Who sees which article: public and portal users the published ones; staff also their drafts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.actors import PUBLIC
from news.models import Article
from tests.news.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(district_staff, street_staff):
    return {
        "published": make_article(title="已发布", actor=district_staff),
        "scheduled": make_article(
            title="定时", actor=district_staff, published_at=timezone.now() + timedelta(days=2)
        ),
        "own_draft": make_article(title="街道草稿", actor=street_staff, published=False),
        "other_draft": make_article(title="区级草稿", actor=district_staff, published=False),
    }


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("anonymous", {"published"}),
        ("secretary", {"published"}),
        ("org_contact", {"published"}),
        ("street_staff", {"published", "scheduled", "own_draft"}),
        ("superuser", {"published", "scheduled", "own_draft", "other_draft"}),
    ],
)
def test_article_visible_to_role_sees_expected_articles(articles, role_users, user, expected):
    viewer = role_users[user] or PUBLIC  # "anonymous" is None in role_users: no login
    visible = set(Article.objects.visible_to(viewer).values_list("pk", flat=True))
    assert visible == {articles[name].pk for name in expected}
