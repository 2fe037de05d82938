"""The supplier portal's words in each language the emails use (English as fallback)."""

from __future__ import annotations

from activities.compose import mail_language

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Upload your {template}",
        "intro": "{campaign}: please upload the filled {template} for {supplier} by {due}.",
        "file": "Filled template (.xlsx)",
        "upload": "Upload",
        "latest": "Your latest file",
        "complete": "Thank you: the file is complete.",
        "incomplete": "Please correct these points and upload the file again.",
        "unreadable": "This file could not be read. Please upload the template as an .xlsx file.",
        "pending": "The file is being checked.",
        "issues": "{count} point(s) to fix",
        "sheet": "Sheet",
        "cell": "Cell",
        "what": "What to fix",
        "finished": "This case is {stage}; no further upload is needed.",
        "rejected": "The file was not accepted: {reason}",
        "unavailable": "We received your file but cannot check it right now. "
        "Please try again in a few minutes.",
        "too_large": "The file is too large: the limit is {limit} MB.",
        "no_file": "Choose a file to upload.",
    },
    "ja": {
        "title": "{template}のアップロード",
        "intro": "{campaign}：{supplier}の{template}に記入し、{due}までにアップロードしてください。",
        "file": "記入済みテンプレート (.xlsx)",
        "upload": "アップロード",
        "latest": "最新のファイル",
        "complete": "ありがとうございます。ファイルは完全です。",
        "incomplete": "以下の点を修正し、もう一度アップロードしてください。",
        "unreadable": "このファイルを読み取れませんでした。"
        ".xlsx 形式のテンプレートをアップロードしてください。",
        "pending": "ファイルを確認しています。",
        "issues": "修正箇所 {count} 件",
        "sheet": "シート",
        "cell": "セル",
        "what": "修正内容",
        "finished": "この案件は {stage} です。これ以上のアップロードは不要です。",
        "rejected": "ファイルは受け付けられませんでした：{reason}",
        "unavailable": "ファイルを受け取りましたが、現在確認できません。数分後にもう一度お試しください。",
        "too_large": "ファイルが大きすぎます（上限 {limit} MB）。",
        "no_file": "アップロードするファイルを選択してください。",
    },
    "zh": {
        "title": "上传您的 {template}",
        "intro": "{campaign}：请在 {due} 之前上传 {supplier} 填写好的 {template}。",
        "file": "已填写的模板 (.xlsx)",
        "upload": "上传",
        "latest": "您最近上传的文件",
        "complete": "谢谢：文件已完整。",
        "incomplete": "请更正以下各点，然后重新上传文件。",
        "unreadable": "无法读取该文件。请以 .xlsx 格式上传模板。",
        "pending": "正在检查文件。",
        "issues": "需要修正 {count} 处",
        "sheet": "工作表",
        "cell": "单元格",
        "what": "需要修正的内容",
        "finished": "此案件状态为 {stage}；无需再上传。",
        "rejected": "文件未被接受：{reason}",
        "unavailable": "我们已收到您的文件，但目前无法检查。请几分钟后重试。",
        "too_large": "文件太大：上限为 {limit} MB。",
        "no_file": "请选择要上传的文件。",
    },
}


def words(language: str | None) -> dict[str, str]:
    """The portal's words in the supplier's language."""
    return TEXT[mail_language(language)]
