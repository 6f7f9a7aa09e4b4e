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

JA.update(
    {
        "kind.incident_report": "事故報告",
        "kind.recurrence_prevention": "再発防止策",
        "evidence_rule.incident_report": "事故報告書(発生日時、漏えい等した個人情報の項目と人数、原因、対応状況)",
        "evidence_rule.recurrence_prevention": "原因分析と再発防止策をまとめた報告書",
        "incident.kind.leak": "漏えい",
        "incident.kind.loss": "滅失・紛失",
        "incident.kind.damage": "毀損",
        "incident.kind.unauthorized_access": "不正アクセス",
        "incident.condition.first": "{date}に報告のあった個人情報の{what}について、受託者から速報(発生日時、対象となった個人情報の項目と人数、原因、対応状況)を徴取し提出する",
        "incident.condition.final": "{date}に報告のあった個人情報の{what}について、受託者から確報(事実関係、原因、影響、本人への対応、再発防止策)を徴取し{days}日以内に提出する",
        "incident.condition.prevention": "{date}に報告のあった個人情報の{what}について、再発防止策の実施状況を確認し報告する",
        "incident.error": "事故の報告を受け付けられません。",
        "incident.unknown_vendor": "{vendor} は {id} の受託者等に登録されていません。",
        "incident.id_taken": "確認事項 {id} は既に登録されています。事務局に連絡してください。",
        "action.report_incident": "事故の報告",
        "event.incident_reported": "事故の報告",
        "cli.incident.reported": "{id} の{what}の報告を受け付けました(事案番号 {number})。事務局に直ちに通知します。",
        "cli.incident.condition": "  {id} [{kind}] 期限 {due}",
        "cli.incident.line": "{number}  {reported_at}  {id}  {what}  {vendor}  {conditions}",
        "cli.incident.none": "報告された事故はありません。",
    }
)
EN.update(
    {
        "kind.incident_report": "Incident report",
        "kind.recurrence_prevention": "Recurrence prevention",
        "evidence_rule.incident_report": "The incident report (when, which personal data and how many people, cause, response)",
        "evidence_rule.recurrence_prevention": "A report of the cause and the measures against recurrence",
        "incident.kind.leak": "leak",
        "incident.kind.loss": "loss",
        "incident.kind.damage": "damage",
        "incident.kind.unauthorized_access": "unauthorised access",
        "incident.condition.first": "Obtain from the contractor and submit the first report (when, which personal data and how many people, cause, response) on the {what} of personal data reported on {date}",
        "incident.condition.final": "Obtain from the contractor and submit, within {days} days, the final report (facts, cause, impact, notice to the people concerned, prevention) on the {what} of personal data reported on {date}",
        "incident.condition.prevention": "Confirm and report the measures against recurrence of the {what} of personal data reported on {date}",
        "incident.error": "The incident could not be recorded.",
        "incident.unknown_vendor": "{vendor} is not a vendor of {id}.",
        "incident.id_taken": "Condition {id} already exists. Please contact the secretariat.",
        "action.report_incident": "report an incident",
        "event.incident_reported": "incident reported",
        "cli.incident.reported": "Recorded the {what} on {id} (incident {number}). The secretariat is alerted at once.",
        "cli.incident.condition": "  {id} [{kind}] due {due}",
        "cli.incident.line": "{number}  {reported_at}  {id}  {what}  {vendor}  {conditions}",
        "cli.incident.none": "No incidents reported.",
    }
)
