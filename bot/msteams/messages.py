"""The Teams transport's own words, Japanese first and English second."""

from __future__ import annotations

from duediligence.messages import register

JA: dict[str, str] = {
    "bot.teams.channel_upload": "チャネルに置かれたファイルは証跡として受け取りません(個人情報を含むため)。ボットとの個人チャットに送ってください。",
    "bot.teams.answered_privately": "個人チャットでお答えしました。",
    "bot.teams.consent.description": "{title}({meeting})",
    "bot.teams.consent.sent": "ファイルを送る許可を求めました。個人チャットのカードで「許可」を押してください。",
    "bot.teams.consent.uploaded": "{filename} をあなたの OneDrive に保存しました。",
    "bot.teams.consent.declined": "{filename} の送信を取りやめました。",
    "bot.teams.consent.expired": "このファイルはもう送れません。もう一度依頼してください。",
    "bot.teams.consent.failed": "{filename} を保存できませんでした。もう一度依頼してください。",
    "bot.teams.form_errors": "入力を確認してください: {errors}",
    "bot.teams.done": "受け付けました。",
    "bot.teams.package.bad_app_id": "Teams のアプリ ID「{app_id}」は GUID ではありません。Azure のボット登録の「Microsoft App ID」を DD_TEAMS_APP_ID か --app-id で指定してください。",
    "bot.teams.package.written": "Teams のアプリパッケージを書き出しました: {path}",
}

EN: dict[str, str] = {
    "bot.teams.channel_upload": "Files left in a channel are not taken as evidence (they hold personal data). Send the file in your personal chat with the bot.",
    "bot.teams.answered_privately": "I answered in your personal chat.",
    "bot.teams.consent.description": "{title} ({meeting})",
    "bot.teams.consent.sent": "I asked for permission to send the files: press Allow on the cards in your personal chat.",
    "bot.teams.consent.uploaded": "Saved {filename} to your OneDrive.",
    "bot.teams.consent.declined": "Did not send {filename}.",
    "bot.teams.consent.expired": "This file can no longer be sent. Please ask again.",
    "bot.teams.consent.failed": "Could not save {filename}. Please ask again.",
    "bot.teams.form_errors": "Please check: {errors}",
    "bot.teams.done": "Done.",
    "bot.teams.package.bad_app_id": "The Teams app id '{app_id}' is not a GUID. Give the Azure bot registration's Microsoft App ID in DD_TEAMS_APP_ID or --app-id.",
    "bot.teams.package.written": "Wrote the Teams app package: {path}",
}

register("ja", JA)
register("en", EN)
