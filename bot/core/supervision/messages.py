"""The bot's words for supervision (evidence with a term, approving bodies, incidents)."""

from __future__ import annotations

from duediligence.messages import register

JA: dict[str, str] = {
    "bot.field.approved_by": "承認",
    "bot.validity.field.until": "有効期限",
    "bot.validity.recorded": "有効期限 {until} として記録しました。期限の60・30・7日前にお知らせします。",
    "bot.validity.lapsing": "確認事項 {id} の提出資料「{filename}」は {until} で有効期限が切れます(あと {days} 日)。更新後の資料をこのDMに提出してください(メッセージに「{id} 有効期限 YYYY-MM-DD」と書くと期限も記録されます)。",
}

EN: dict[str, str] = {
    "bot.field.approved_by": "Approved by",
    "bot.validity.field.until": "Valid until",
    "bot.validity.recorded": "Recorded as valid until {until}. You will be reminded 60, 30 and 7 days before.",
    "bot.validity.lapsing": "The evidence “{filename}” of condition {id} lapses on {until} (in {days} days). Please send the renewed document in this DM (write “{id} valid until YYYY-MM-DD” to record its term).",
}

register("ja", JA)
register("en", EN)
