"""The sub-contracting chain in Slack: App Home and a condition's details show 元請 → 再委託先."""

from __future__ import annotations

import json

from .conftest import SHUNO_OWNER, VACC_OWNER, Harness


def home_text(slack: Harness, user: str) -> str:
    slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    slack.settle()
    views = [c for c in slack.fake.of("views.publish") if c.body["user_id"] == user]
    return json.dumps(views[-1].body["view"], ensure_ascii=False)


def test_app_home_shows_the_chain_of_the_owners_outsourcing(slack: Harness) -> None:
    view = home_text(slack, VACC_OWNER)
    assert "委託の体制 R2-16" in view
    assert "株式会社サンプル人材サービス（元請）" in view
    assert "サンプル予約システムズ株式会社（再委託先）" in view
    assert "委託の体制" not in home_text(slack, SHUNO_OWNER)  # R2-15 has no sub-contractor


def test_details_show_the_vendor_under_its_contractor(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(VACC_OWNER, "R2-16-05"))
    assert "株式会社サンプル人材サービス → サンプル予約システムズ株式会社" in answer
