"""Words for supervising outsourcing (委託先の監督): approving bodies, evidence with a term,
periodic reports and incidents. Japanese first, English second, same keys in both.
"""

from __future__ import annotations

JA: dict[str, str] = {
    # kinds and recurrences
    "kind.periodic_report": "定期報告",
    "evidence_rule.periodic_report": "受託者からの定期報告書(対象期間の業務実施状況・個人情報の管理状況)",
    "recurrence.monthly": "毎月",
    "recurrence.quarterly": "四半期ごと",
    # approving bodies
    "body.council": "審議会",
    "body.committee": "委員会",
    "body.decision": "決裁",
    "body.approved_by": "{name}（{kind}）{meeting}",
    "import.reports_to_self": "reports_to に自分自身({name})は指定できません。報告先の審議会名を書いてください。",
    "report.title.committee": "{meeting}委員会 付された条件への対応状況について（報告）",
    "report.title.decision": "{meeting}決裁 付された条件への対応状況について（報告）",
    "report.decided.body": "{body}（{kind}）　{decided}",
    "report.decided.elsewhere": "{decided}　※実施機関による確認結果の報告",
    "cli.show.approved_by": "承認",
    # evidence with a term
    "error.evidence.bad_term": "有効期間の終わり({valid_until})が始まり({effective})より前です。",
    "error.evidence.bad_term_text": "メッセージ中の有効期限を読み取れませんでした。ファイルは登録していません。\n{detail}",
    "cli.show.valid_until": "有効期限 {date}",
    "cli.validity_set": "{id} の {filename} の有効期限を {until} として記録しました。期限の60・30・7日前にお知らせし、経過後は再提出を求めます。",
    "reminder.stage.lapse": "有効期限の{days}日前",
    "event.lapsed": "有効期限の経過により再開",
    "event.renewal_submitted": "更新後の資料を提出",
    "event.validity_set": "有効期間を記録",
    "report.done.lapsed": "提出資料の有効期限({date})が経過したため、更新後の資料の提出を求めています。",
}

EN: dict[str, str] = {
    "kind.periodic_report": "Periodic report",
    "evidence_rule.periodic_report": "The vendor's periodic report (work done and how personal data was handled in the period)",
    "recurrence.monthly": "monthly",
    "recurrence.quarterly": "quarterly",
    "body.council": "council",
    "body.committee": "committee",
    "body.decision": "internal decision",
    "body.approved_by": "{name} ({kind}) {meeting}",
    "import.reports_to_self": "reports_to cannot name the body itself ({name}); write the council it reports to.",
    "report.title.committee": "{meeting} committee: follow-up of the conditions attached (report)",
    "report.title.decision": "{meeting} internal decision: follow-up of the conditions attached (report)",
    "report.decided.body": "{body} ({kind}) {decided}",
    "report.decided.elsewhere": "{decided} (approved by the executive body, reported for information)",
    "cli.show.approved_by": "Approved by",
    "error.evidence.bad_term": "The term ends ({valid_until}) before it starts ({effective}).",
    "error.evidence.bad_term_text": "The validity date in your message could not be read. The file was not recorded.\n{detail}",
    "cli.show.valid_until": "valid until {date}",
    "cli.validity_set": "Recorded that {filename} of {id} is valid until {until}. Owners are reminded 60, 30 and 7 days before; after that the condition reopens.",
    "reminder.stage.lapse": "{days} days before it lapses",
    "event.lapsed": "reopened: evidence lapsed",
    "event.renewal_submitted": "renewal submitted",
    "event.validity_set": "term recorded",
    "report.done.lapsed": "The evidence lapsed on {date}; the renewed document has been requested.",
}
