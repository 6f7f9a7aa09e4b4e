"""Text from imports and users is escaped before it enters mrkdwn: `<!channel>` pings nobody."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SAMPLE, SECRETARIAT, SECRETARIAT_CHANNEL, SHUNO_OWNER, Harness, text_of
from .test_upload import ROSTER

VENDOR = "<!channel> & <https://evil.example|Sample> 株式会社"


@pytest.fixture
def meeting_file(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace("株式会社サンプル収納サービス", f'"{VENDOR}"')
    path = tmp_path / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_vendor_named_channel_arrives_escaped_in_status_and_review_card(slack: Harness) -> None:
    answer = slack.answer_at(slack.command(SECRETARIAT, "R2-15-08"))
    escaped = "&lt;!channel&gt; &amp; &lt;https://evil.example|Sample&gt; 株式会社"
    assert escaped in answer
    assert "<!channel>" not in answer and "<https://" not in answer

    slack.fake.add_file("F300", "<!here>.csv", ROSTER)
    slack.dm(SHUNO_OWNER, "R2-15-08", files=["F300"])
    slack.settle()
    card = next(
        c for c in slack.fake.of("chat.postMessage") if c.body["channel"] == SECRETARIAT_CHANNEL
    )
    shown = text_of(card.body)
    assert escaped in shown and "&lt;!here&gt;.csv" in shown
    assert "<!channel>" not in shown and "<!here>" not in shown
