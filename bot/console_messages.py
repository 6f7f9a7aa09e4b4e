"""The console's and the demo's own words (the bot's replies come from :mod:`bot.messages`).

Kept apart from the bot's catalogue so the console never edits the lines other
parts of the bot own; registered into the shared catalogue at import.
"""

from __future__ import annotations

from duediligence.messages import register

JA: dict[str, str] = {
    # -- the console (bot/console.py) --
    "bot.console.banner": "付帯条件フォローアップ・ボット(コンソール) {when} / あなた: {who}\nhelp で使い方、/quit で終了します。",
    "bot.console.help": (
        "Slack の DM で打つのと同じ文がそのまま通じます。\n"
        "  状況                              確認事項の状況(事務局は全体、所管課は自課の分)\n"
        "  状況 期限超過 / 状況 収納課 / 状況 R2-15 / 状況 R2-15-08\n"
        "                                    期限超過・所管課・諮問・事業者・確認事項で絞り込み\n"
        "  報告資料 [会議ID]                 審議会への報告資料を作成(事務局のみ)\n"
        "  ディスク交換 R2-15 今日           出来事の報告(契約終了・ディスク交換など)\n"
        "  /upload パス [確認事項ID] [文]    ファイルを提出(DM へのドラッグ&ドロップと同じ)\n"
        "  番号                              直前に表示したボタン・選択肢を押す\n"
        "  /as 誰                            話す人を変える: /as 事務局、/as 収納課、/as 収納課長、/as U02SHUNO001\n"
        "  /who、/whoami                     登録されている人の一覧、今の自分\n"
        "  /status [絞り込み]、/home         状況(「状況」と同じ)、App Home\n"
        "  /template [確認事項ID]            名簿の様式(xlsx)を保存\n"
        "  /date 日付                        仮想時計を進めて定時処理(リマインダー・週次ダイジェスト)を実行\n"
        "                                    例: /date 2021-03-01、/date 令和3年3月8日、/date 来週月曜、/date 2021-05-19T17:00\n"
        "  /tick                             今の時刻で定時処理を実行\n"
        "  /import ファイル                  会議ファイル(YAML または .xlsx)を取り込む\n"
        "  /mark-reported 会議ID             審議会の後、報告資料で確認済とした項目を報告済にする(事務局のみ)\n"
        "  /register                         諮問と確認事項を登録(事務局のみ)。変更・取消は「状況 確認事項ID」のボタンから\n"
        "  help、/quit                       この一覧、終了"
    ),
    "bot.console.empty": "このデータベースにはまだ何も登録されていません。/import 会議ファイル.yaml で取り込めます(例: /import examples/council-2021-02-10.yaml)。",
    "bot.console.channel": "事務局チャンネル",
    "bot.console.label.secretariat": "事務局 {user}",
    "bot.console.label.owner": "{department} {user}",
    "bot.console.label.head": "{department} 所属長 {user}",
    "bot.console.label.other": "未登録 {user}",
    "bot.console.to": "ボット → {who}:",
    "bot.console.you": "あなたは {who} です。",
    "bot.console.you_unknown": "あなたは {who} です(事務局にも所管課にも登録されていません)。",
    "bot.console.as_unknown": "「{who}」に当たる人が見つかりません。/who で一覧を表示します。",
    "bot.console.now": "現在: {when}",
    "bot.console.when": "{wareki}({iso}) {weekday} {time}",
    "bot.console.weekdays": "月 火 水 木 金 土 日",
    "bot.console.bad_date": "「{text}」を日付として読めませんでした(例: 2021-03-01、令和3年3月1日、来週月曜、2021-03-01T17:00)。",
    "bot.console.ticked": "定時処理: 予定 {planned} 件 / 配信 {sent} 件 / 再試行 {retried} 件 / 失敗 {failed} 件",
    "bot.console.upload_usage": "使い方: /upload ファイルのパス [確認事項ID] [メッセージ]",
    "bot.console.no_file": "ファイルが見つかりません: {path}",
    "bot.console.saved": "保存しました: {path}",
    "bot.console.posted": "📎 {title} を事務局チャンネルに投稿しました(保存先: {path})",
    "bot.console.no_button": "{number} 番のボタンはありません。直前の返答に表示された番号を入力してください。",
    "bot.console.optional": "(任意)",
    "bot.console.more": "(ほか {count} 件)",
    "bot.console.cancelled": "入力を取り消しました。何も変更していません。",
    "bot.console.card_updated": "(事務局チャンネルのカードを更新しました: {text})",
    "bot.console.unknown_command": "「{command}」というコマンドはありません。help で使い方を表示します。",
    "bot.console.import_usage": "使い方: /import 会議ファイル.yaml",
    "bot.console.mark_usage": "使い方: /mark-reported 会議ID(例: R3-1)",
    # -- the demo (bot/demo.py) --
    "bot.demo.title": "デモ: {meeting} の付帯条件を、取込みから審議会への報告まで(仮想時計で進めます)",
    "bot.demo.tick": "【{when}】 ⏰ 定時処理(リマインダー・ダイジェスト)",
    "bot.demo.step": "【{when}】 {who}: {text}",
    "bot.demo.scene": "── {text}",
    "bot.demo.scene.import": "審議会の夜、事務局が会議ファイルを取り込みます。",
    "bot.demo.scene.reminders": "数日後、定時処理が期限の近い確認事項の担当者にリマインダーを送ります。",
    "bot.demo.scene.roster": "収納課が状況を確かめ、名簿(様式どおりの xlsx)を提出します。",
    "bot.demo.scene.return": "事務局が名簿を確認し、理由を付けて差し戻します。",
    "bot.demo.scene.resubmit": "収納課が直した名簿を再提出し、事務局が承認します。",
    "bot.demo.scene.pledges": "収納課が誓約書を一覧と1人分のスキャンで提出し、名簿の全員分がそろったところで事務局が承認します。",
    "bot.demo.scene.due": "ワクチン接種事業PTの確認事項が期限を迎えます。",
    "bot.demo.scene.escalation": "期限を過ぎて5営業日、所属長にエスカレーションが届きます。",
    "bot.demo.scene.digest": "月曜日、事務局チャンネルに週次ダイジェストが届きます。",
    "bot.demo.scene.overdue": "期限を過ぎた確認事項の担当者に督促が届き、月曜の週次ダイジェストに期限超過が載ります。",
    "bot.demo.scene.answer": "収納課が R2-15-01 の確認書を提出し、事務局が承認します。",
    "bot.demo.scene.report": "審議会の前に、事務局が報告資料を作成します。",
    "bot.demo.scene.reported": "審議会が終わり、報告した項目を報告済にして閉じます。",
    "bot.demo.scene.end": "最終的な状況",
    "bot.demo.say.status": "状況",
    "bot.demo.say.status_overdue": "状況 期限超過",
    "bot.demo.say.roster": "R2-15-08 名簿を提出します",
    "bot.demo.say.roster_fixed": "R2-15-08 雇用形態を記入した名簿です",
    "bot.demo.say.pledge_list": "R2-15-09 誓約書の一覧です",
    "bot.demo.say.pledge_scan": "R2-15-09 山田 太郎 の誓約書です",
    "bot.demo.say.confirmation": "R2-15-01 紙媒体の取扱いについての確認書です",
    "bot.demo.say.report": "報告資料",
    "bot.demo.return_reason": "鈴木 一郎さんの雇用形態が空欄です。記入して再提出してください。",
    "bot.demo.files": "書き出したファイル:",
    "bot.demo.file.db": "  データベース: {path}",
    "bot.demo.file.evidence": "  証跡の保存先: {path}",
    "bot.demo.file.sample": "  サンプル({what}): {path}",
    "bot.demo.file.pack": "  報告資料: {path}",
    "bot.demo.sample.roster": "名簿 第1版",
    "bot.demo.sample.roster_fixed": "名簿 第2版",
    "bot.demo.sample.pledge_list": "誓約書の一覧",
    "bot.demo.sample.pledge_scan": "誓約書のスキャン",
    "bot.demo.sample.confirmation": "確認書",
    "bot.demo.not_empty": "{path} にはすでに確認事項があります。デモは新しいデータベースで実行してください(--db を省くと一時ファイルを使います)。",
    "bot.demo.failed": "デモの手順「{step}」が想定どおりに進みませんでした: {detail}",
}

EN: dict[str, str] = {
    # -- the console (bot/console.py) --
    "bot.console.banner": "Council conditions follow-up bot (console) {when} / you: {who}\nType help for what you can do, /quit to leave.",
    "bot.console.help": (
        "Type what you would type in the bot's Slack DM.\n"
        "  status                            your conditions (the secretariat sees all)\n"
        "  status overdue / status 収納課 / status R2-15 / status R2-15-08\n"
        "                                    narrow by overdue, department, consultation, vendor, condition\n"
        "  report [meeting id]               build the council's report pack (secretariat only)\n"
        "  ディスク交換 R2-15 今日           report an event (contract end, disk replacement, ...)\n"
        "  /upload PATH [condition] [text]   submit a file (as if dropped into the DM)\n"
        "  NUMBER                            press a button or choose an option shown just before\n"
        "  /as WHO                           be someone else: /as secretariat, /as 収納課, /as head 収納課, /as U02SHUNO001\n"
        "  /who, /whoami                     everyone registered, and who you are\n"
        "  /status [filters], /home          the status query, the App Home\n"
        "  /template [condition]             save the roster template (xlsx)\n"
        "  /date DAY                         move the virtual clock and run the scheduler (reminders, weekly digest)\n"
        "                                    e.g. /date 2021-03-01, /date next Monday, /date 2021-05-19T17:00\n"
        "  /tick                             run the scheduler now\n"
        "  /import FILE                      import a meeting file (YAML or .xlsx)\n"
        "  /mark-reported MEETING            after the meeting, close what its pack reported as done (secretariat)\n"
        "  /register                         register a consultation and its conditions (secretariat); amend or withdraw from 'status ID'\n"
        "  help, /quit                       this list, leave"
    ),
    "bot.console.empty": "Nothing is registered in this database yet. Import a meeting file with /import MEETING.yaml (e.g. /import examples/council-2021-02-10.yaml).",
    "bot.console.channel": "secretariat channel",
    "bot.console.label.secretariat": "Secretariat {user}",
    "bot.console.label.owner": "{department} {user}",
    "bot.console.label.head": "{department} head {user}",
    "bot.console.label.other": "unregistered {user}",
    "bot.console.to": "bot → {who}:",
    "bot.console.you": "You are {who}.",
    "bot.console.you_unknown": "You are {who} (neither secretariat nor department staff).",
    "bot.console.as_unknown": "Nobody matches '{who}'. /who lists everyone.",
    "bot.console.now": "Now: {when}",
    "bot.console.when": "{iso} {weekday} {time} ({wareki})",
    "bot.console.weekdays": "Mon Tue Wed Thu Fri Sat Sun",
    "bot.console.bad_date": "Could not read '{text}' as a date (e.g. 2021-03-01, 令和3年3月1日, next Monday, 2021-03-01T17:00).",
    "bot.console.ticked": "Scheduler: planned {planned} / delivered {sent} / to retry {retried} / failed {failed}",
    "bot.console.upload_usage": "Usage: /upload PATH [condition id] [message]",
    "bot.console.no_file": "No such file: {path}",
    "bot.console.saved": "Saved: {path}",
    "bot.console.posted": "📎 Posted {title} to the secretariat channel (saved as {path})",
    "bot.console.no_button": "There is no button {number}. Type a number shown in the last reply.",
    "bot.console.optional": " (optional)",
    "bot.console.more": "(and {count} more)",
    "bot.console.cancelled": "Cancelled; nothing was changed.",
    "bot.console.card_updated": "(updated the card in the secretariat channel: {text})",
    "bot.console.unknown_command": "There is no command '{command}'. Type help for what you can do.",
    "bot.console.import_usage": "Usage: /import MEETING.yaml",
    "bot.console.mark_usage": "Usage: /mark-reported MEETING_ID (e.g. R3-1)",
    # -- the demo (bot/demo.py) --
    "bot.demo.title": "Demo: the conditions of {meeting}, from import to report-back (on a virtual clock)",
    "bot.demo.tick": "[{when}] ⏰ scheduler (reminders, digest)",
    "bot.demo.step": "[{when}] {who}: {text}",
    "bot.demo.scene": "── {text}",
    "bot.demo.scene.import": "The night of the council meeting, the secretariat imports the meeting file.",
    "bot.demo.scene.reminders": "A few days later the scheduler reminds the owners of conditions falling due.",
    "bot.demo.scene.roster": "収納課 checks its items and submits the roster (the template's xlsx).",
    "bot.demo.scene.return": "The secretariat checks the roster and returns it with a reason.",
    "bot.demo.scene.resubmit": "収納課 resubmits the corrected roster and the secretariat accepts it.",
    "bot.demo.scene.pledges": "収納課 submits pledges as a list and one scan; once everyone on the roster is covered the secretariat accepts.",
    "bot.demo.scene.due": "The vaccination PT's conditions fall due.",
    "bot.demo.scene.escalation": "Five business days overdue: the department head gets an escalation.",
    "bot.demo.scene.digest": "Monday: the weekly digest reaches the secretariat channel.",
    "bot.demo.scene.overdue": "Owners of overdue conditions are chased, and Monday's digest lists what is overdue.",
    "bot.demo.scene.answer": "収納課 submits the vendor's written answer for R2-15-01 and the secretariat accepts it.",
    "bot.demo.scene.report": "Before the council meets, the secretariat builds the report pack.",
    "bot.demo.scene.reported": "After the meeting, what was reported is marked reported and closed.",
    "bot.demo.scene.end": "Where everything stands",
    "bot.demo.say.status": "status",
    "bot.demo.say.status_overdue": "status overdue",
    "bot.demo.say.roster": "R2-15-08 here is the roster",
    "bot.demo.say.roster_fixed": "R2-15-08 roster with the employment type filled in",
    "bot.demo.say.pledge_list": "R2-15-09 the list of pledges",
    "bot.demo.say.pledge_scan": "R2-15-09 pledge of 山田 太郎",
    "bot.demo.say.confirmation": "R2-15-01 the vendor's written answer on paper output",
    "bot.demo.say.report": "report",
    "bot.demo.return_reason": "The employment type of 鈴木 一郎 is empty. Please fill it in and resubmit.",
    "bot.demo.files": "Files written:",
    "bot.demo.file.db": "  database: {path}",
    "bot.demo.file.evidence": "  evidence store: {path}",
    "bot.demo.file.sample": "  sample ({what}): {path}",
    "bot.demo.file.pack": "  report pack: {path}",
    "bot.demo.sample.roster": "roster, version 1",
    "bot.demo.sample.roster_fixed": "roster, version 2",
    "bot.demo.sample.pledge_list": "list of pledges",
    "bot.demo.sample.pledge_scan": "pledge scan",
    "bot.demo.sample.confirmation": "written answer",
    "bot.demo.not_empty": "{path} already holds conditions. Run the demo on a new database (without --db it uses a temporary one).",
    "bot.demo.failed": "The demo step '{step}' did not go as scripted: {detail}",
}

register("ja", JA)
register("en", EN)
