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

register("ja", {"bot.chain.title": "委託の体制 {id} {title}"})
register("en", {"bot.chain.title": "Contractors of {id} {title}"})

register(
    "ja",
    {
        "bot.checklist.clauses.button": "条項を確認する",
        "bot.checklist.inspection.button": "点検結果を入力する",
        "bot.checklist.clauses.title": "契約条項の確認",
        "bot.checklist.inspection.title": "委託先の点検",
        "bot.checklist.clauses.text": "{id}({vendor}): 契約書の各条項の条番号を入力してください。契約書にない項目は「なし」。",
        "bot.checklist.inspection.text": "{id}({vendor}): 各項目に「はい」「いいえ」「該当なし」と所見を入力してください。",
        "bot.checklist.clauses.placeholder": "例: 第12条 / なし",
        "bot.checklist.inspection.placeholder": "例: はい / いいえ 鍵の管理簿がない / 該当なし",
        "bot.checklist.submit": "記録",
        "bot.checklist.owner_only": "{id} の記録は所管課の担当者が行います。",
        "bot.checklist.clauses.recorded": "{id} の契約条項を確認しました。不足 {findings} 件。",
        "bot.checklist.inspection.recorded": "{id} の点検結果を記録しました。指摘 {findings} 件。",
        "bot.checklist.follow_ups": "開いた是正・追加の確認事項",
        "bot.checklist.follow_up": "{id} [{kind}] 期限 {due}",
        "bot.checks.upload.contract_clauses_help": "{id}: 契約書をこのDMに提出した後、「条項を確認する」で条項ごとに条番号を入力してください。",
        "bot.checks.upload.inspection_help": "{id}: 点検の記録をこのDMに提出した後、「点検結果を入力する」で項目ごとに回答してください。",
    },
)
register(
    "en",
    {
        "bot.checklist.clauses.button": "Confirm clauses",
        "bot.checklist.inspection.button": "Enter inspection",
        "bot.checklist.clauses.title": "Contract clauses",
        "bot.checklist.inspection.title": "Inspection",
        "bot.checklist.clauses.text": "{id} ({vendor}): enter the article of each clause; “missing” if the contract lacks it.",
        "bot.checklist.inspection.text": "{id} ({vendor}): answer each item yes, no or n/a, with a note.",
        "bot.checklist.clauses.placeholder": "e.g. Article 12 / missing",
        "bot.checklist.inspection.placeholder": "e.g. yes / no key log not kept / n/a",
        "bot.checklist.submit": "Record",
        "bot.checklist.owner_only": "The owner department records {id}.",
        "bot.checklist.clauses.recorded": "Clauses of {id} confirmed: {findings} missing.",
        "bot.checklist.inspection.recorded": "Inspection {id} recorded: {findings} finding(s).",
        "bot.checklist.follow_ups": "Follow-ups opened",
        "bot.checklist.follow_up": "{id} [{kind}] due {due}",
        "bot.checks.upload.contract_clauses_help": "{id}: after sending the contract in this DM, press “Confirm clauses” and enter each clause's article.",
        "bot.checks.upload.inspection_help": "{id}: after sending the inspection record in this DM, press “Enter inspection” and answer each item.",
    },
)

register(
    "ja",
    {
        "bot.demo.sv.title": "デモ: {meeting} — 情報セキュリティ委員会が承認したクラウド契約を1年間監督します(仮想時計)",
        "bot.demo.sv.scene.import": "委員会の夜、事務局が承認の内容を取り込みます(再委託先は元請の下に表示されます)。",
        "bot.demo.sv.scene.clauses": "市民課が契約書を提出し、必要な条項を条番号で確認します。事故報告の条項がなく、契約の修正が確認事項になります。",
        "bot.demo.sv.scene.certificate": "市民課が ISMS 登録証を有効期限つきで提出し、事務局が承認します。",
        "bot.demo.sv.scene.incident": "金曜日の夜、市民課が漏えいを報告します。次の定時処理で事務局に直ちに通知され、速報・確報・再発防止策の期限が設定されます。",
        "bot.demo.sv.scene.pack": "委員会の次回会議に向けて、事務局が報告資料を作成します。",
        "bot.demo.sv.scene.lapse_reminder": "ISMS 登録証の有効期限が近づき、市民課にお知らせが届きます(60・30・7日前)。",
        "bot.demo.sv.scene.inspection": "年1回の点検(実地調査)の結果を市民課が項目ごとに入力します。指摘が是正措置の確認事項になります。",
        "bot.demo.sv.scene.lapse": "有効期限の翌日、更新後の登録証が届いていないため、確認事項が再び開きます。",
        "bot.demo.sv.say.contract": "{id} 契約書の写しです",
        "bot.demo.sv.say.missing": "なし",
        "bot.demo.sv.say.certificate": "{id} ISMS登録証です 有効期限 2024-03-31",
        "bot.demo.sv.say.incident": "漏えいが発生しました {id} 予約確認メールを別の利用者に誤送信",
        "bot.demo.sv.say.inspection": "{id} 実地調査の記録です",
        "bot.demo.sv.say.yes": "はい",
        "bot.demo.sv.say.finding": "いいえ USBメモリの持出し記録がない",
        "bot.demo.sample.sv_contract": "契約書",
        "bot.demo.sample.sv_certificate": "ISMS登録証",
        "bot.demo.sample.sv_inspection": "点検記録",
    },
)
register(
    "en",
    {
        "bot.demo.sv.title": "Demo: {meeting} — a year supervising a cloud contract approved by the security committee (virtual clock)",
        "bot.demo.sv.scene.import": "On the committee's evening the secretariat imports the approval (the sub-contractor shows under its contractor).",
        "bot.demo.sv.scene.clauses": "市民課 submits the contract and confirms each required clause by its article. The incident clause is missing: amending the contract becomes a condition.",
        "bot.demo.sv.scene.certificate": "市民課 sends the ISMS certificate with its valid-until date; the secretariat accepts it.",
        "bot.demo.sv.scene.incident": "On a Friday evening 市民課 reports a leak. The next tick alerts the secretariat at once, and the first report, final report and prevention fall due.",
        "bot.demo.sv.scene.pack": "For the committee's next meeting the secretariat builds the report pack.",
        "bot.demo.sv.scene.lapse_reminder": "The ISMS certificate nears its lapse: 市民課 is reminded (60, 30 and 7 days before).",
        "bot.demo.sv.scene.inspection": "市民課 enters the yearly (on-site) inspection item by item; the finding becomes a corrective action.",
        "bot.demo.sv.scene.lapse": "The day after it lapsed, with no renewed certificate received, the condition reopens.",
        "bot.demo.sv.say.contract": "{id} copy of the contract",
        "bot.demo.sv.say.missing": "missing",
        "bot.demo.sv.say.certificate": "{id} ISMS certificate valid until 2024-03-31",
        "bot.demo.sv.say.incident": "leak {id} booking confirmation e-mailed to another user",
        "bot.demo.sv.say.inspection": "{id} on-site inspection record",
        "bot.demo.sv.say.yes": "yes",
        "bot.demo.sv.say.finding": "no USB sticks taken out without a log",
        "bot.demo.sample.sv_contract": "contract",
        "bot.demo.sample.sv_certificate": "ISMS certificate",
        "bot.demo.sample.sv_inspection": "inspection record",
    },
)
