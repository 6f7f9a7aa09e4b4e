"""Words of `duediligence draft`, registered into the shared catalogues (Japanese first)."""

from __future__ import annotations

from .. import messages

JA = {
    "draft.unreadable": "議事録「{path}」を読めません: {reason}",
    "draft.empty": "議事録「{path}」は空です。",
    "draft.too_large": "議事録「{path}」が大きすぎます(上限 {limit})。分割して送るか、テキストで保存し直してください。",
    "draft.not_minutes": "「{path}」はテキスト(UTF-8 / Shift_JIS)、Word(.docx)、文字を含む PDF のいずれでもないため読めません。",
    "draft.no_text": "「{path}」から文字を取り出せませんでした(画像だけの PDF は読めません。文字認識した PDF かテキストで保存してください)。",
    "draft.no_consultations": "「{path}」に諮問や報告の見出し(「…」について、…「可」とする)が見つかりません。審議会の議事録か確かめてください。",
    "draft.out_or_json": "--out FILE(.xlsx / .yaml)か --json のどちらかを指定してください。",
    "draft.out_format": "下書きを書き出せるのは .xlsx と .yaml(.yml)です: {path}",
    "draft.summary": "{consultations} 件の諮問、{proposals} 件の条件案、低信頼 {low} 件",
    "draft.written": "下書きを書き出しました: {path}(まだ登録していません。確認・記入のうえ duediligence import で登録してください)",
    "draft.confidence.high": "高",
    "draft.confidence.medium": "中",
    "draft.confidence.low": "低",
    "draft.col.confidence": "確度",
    "draft.col.lines": "出典(行)",
    "draft.col.source": "議事録の原文",
    "draft.howto": "この下書きは議事録 {source} から自動で作成した案です。まだ何も登録されていません。"
    "所管課の担当者、空欄の期限、次回審議会、委託先名を記入し、確度「低」の行は原文と照らして確認してから、"
    "duediligence import でこのファイルを登録してください。",
    "draft.yaml.header": "# duediligence draft: {source} から作成した下書き。確認・記入のうえ import してください。",
    "draft.yaml.fill": "要記入",
    "draft.yaml.proposal": "# 確度: {confidence} · 出典: {lines} 行",
}

EN = {
    "draft.unreadable": "Cannot read the minutes {path}: {reason}",
    "draft.empty": "The minutes {path} are empty.",
    "draft.too_large": "The minutes {path} are too large (limit {limit}). Split them or save them as text.",
    "draft.not_minutes": "{path} is not plain text (UTF-8 / Shift_JIS), Word (.docx) or a PDF with text, so it cannot be read.",
    "draft.no_text": "No text could be taken from {path} (a PDF of scanned images has none: save it with OCR or as text).",
    "draft.no_consultations": "No consultation or report heading (「…」について、…「可」とする) was found in {path}. Check that it is council minutes.",
    "draft.out_or_json": "Give --out FILE (.xlsx / .yaml) or --json.",
    "draft.out_format": "A draft can be written as .xlsx or .yaml (.yml): {path}",
    "draft.summary": "{consultations} consultations, {proposals} proposed conditions, {low} with low confidence",
    "draft.written": "Draft written to {path} (nothing registered yet: review and fill it in, then run duediligence import).",
    "draft.confidence.high": "high",
    "draft.confidence.medium": "medium",
    "draft.confidence.low": "low",
    "draft.col.confidence": "確度 (confidence)",
    "draft.col.lines": "出典 (line)",
    "draft.col.source": "議事録の原文 (minutes)",
    "draft.howto": "This draft was made automatically from the minutes {source}; nothing is registered yet. "
    "Fill in the departments' owners, blank due dates, the next meeting and vendor names, check the "
    "low-confidence rows against the minutes, then register the file with duediligence import.",
    "draft.yaml.header": "# duediligence draft from {source}: review and fill in, then import.",
    "draft.yaml.fill": "to fill in",
    "draft.yaml.proposal": "# confidence: {confidence} · source: line {lines}",
}

messages.register("ja", JA)
messages.register("en", EN)
