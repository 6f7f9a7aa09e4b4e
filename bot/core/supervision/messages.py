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

register(
    "ja",
    {
        "bot.incident.which": "{what}の報告を受け付けるには、どの委託か(諮問番号、例: R2-15)を続けて書いてください。例: 「漏えいが発生しました R2-15 メールの誤送信」",
        "bot.incident.choice": "{id} {title}",
        "bot.incident.none_yours": "あなたの所属課の委託が登録されていません。事務局に連絡してください。",
        "bot.incident.recorded": "{id} の{what}の報告を受け付け、事務局に直ちに通知しました。次の報告が必要です:",
        "bot.incident.condition": "{id} [{kind}] 期限 {due}",
        "bot.incident.next": "受託者から報告書を受け取ったら、このDMに「確認事項ID」を書いてファイルを提出してください。",
        "bot.incident.alert": "【至急】{id} で個人情報の{what}が報告されました。",
        "bot.incident.field.kind": "事案",
        "bot.incident.field.reported": "報告者・日時",
    },
)
register(
    "en",
    {
        "bot.incident.which": "To record the {what}, add which outsourcing it concerns (the consultation id, e.g. R2-15). Example: “leak R2-15 e-mail sent to the wrong address”",
        "bot.incident.choice": "{id} {title}",
        "bot.incident.none_yours": "No outsourcing of your department is registered. Please contact the secretariat.",
        "bot.incident.recorded": "Recorded the {what} on {id}; the secretariat has been alerted. These reports are now due:",
        "bot.incident.condition": "{id} [{kind}] due {due}",
        "bot.incident.next": "When the contractor's report arrives, send the file in this DM with the condition id in the message.",
        "bot.incident.alert": "[Urgent] A {what} of personal data was reported on {id}.",
        "bot.incident.field.kind": "Incident",
        "bot.incident.field.reported": "Reported by, at",
    },
)
