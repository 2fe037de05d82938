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
        "actions_title": "Corrective actions",
        "actions_intro": "Our review found points that need a corrective action. Upload a corrected "
        "template above, or send a document (a letter, a certificate) for an action below; "
        "our staff review each document.",
        "action": "Corrective action {n}",
        "expected": "What we expect",
        "respond_by": "Please respond by {due}.",
        "rejected_because": "Your previous response was not accepted: {reason}",
        "documents": "Documents you sent",
        "review_pending": "awaiting review",
        "review_accepted": "accepted",
        "review_rejected": "not accepted",
        "document": "Document (PDF, PNG, JPEG, Word .docx or Excel .xlsx)",
        "note": "Note: what the document shows (optional)",
        "send_document": "Send document",
        "evidence_received": "Thank you: your document for corrective action {n} was received "
        "and will be reviewed by our staff.",
        "wrong_type": "This type of file is not accepted. Please send a PDF, PNG, JPEG, "
        "Word (.docx) or Excel (.xlsx) file.",
        "no_action": "This corrective action is not part of your case.",
        "action_closed": "Corrective action {n} is {status}; it takes no more documents.",
        "evidence_refused": "Corrective action {n} did not take the document: {reason}",
        "evidence_unavailable": "We could not pass your document on right now; nothing was lost. "
        "Please choose the file again and send it in a few minutes (your note is kept below).",
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
        "actions_title": "是正措置",
        "actions_intro": "審査の結果、是正措置が必要な点が見つかりました。上で修正済みのテンプレートを"
        "アップロードするか、下の各是正措置に書類（書簡、証明書）をお送りください。"
        "書類は担当者が確認します。",
        "action": "是正措置 {n}",
        "expected": "お願いしたい対応",
        "respond_by": "{due}までにご対応ください。",
        "rejected_because": "前回のご回答は受け付けられませんでした：{reason}",
        "documents": "お送りいただいた書類",
        "review_pending": "確認待ち",
        "review_accepted": "受付済み",
        "review_rejected": "不受理",
        "document": "書類（PDF、PNG、JPEG、Word .docx または Excel .xlsx）",
        "note": "備考：書類の内容（任意）",
        "send_document": "書類を送信",
        "evidence_received": "ありがとうございます。是正措置 {n} の書類を受け取りました。"
        "担当者が確認します。",
        "wrong_type": "この種類のファイルは受け付けられません。PDF、PNG、JPEG、Word (.docx) または "
        "Excel (.xlsx) ファイルをお送りください。",
        "no_action": "この是正措置はお客様の案件のものではありません。",
        "action_closed": "是正措置 {n} は {status} です。これ以上書類は受け付けません。",
        "evidence_refused": "是正措置 {n} は書類を受け付けませんでした：{reason}",
        "evidence_unavailable": "現在、書類を担当者にお渡しできません。データは失われていません。"
        "数分後にファイルをもう一度選択してお送りください（備考は下に残っています）。",
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
        "actions_title": "纠正措施",
        "actions_intro": "我们的审查发现了需要采取纠正措施的问题。请在上方上传更正后的模板，"
        "或在下方为相应的纠正措施发送文件（信函、证书）；我们的工作人员会审核每份文件。",
        "action": "纠正措施 {n}",
        "expected": "我们的要求",
        "respond_by": "请在 {due} 之前答复。",
        "rejected_because": "您之前的答复未被接受：{reason}",
        "documents": "您已发送的文件",
        "review_pending": "等待审核",
        "review_accepted": "已接受",
        "review_rejected": "未被接受",
        "document": "文件（PDF、PNG、JPEG、Word .docx 或 Excel .xlsx）",
        "note": "备注：文件内容说明（可选）",
        "send_document": "发送文件",
        "evidence_received": "谢谢：我们已收到您为纠正措施 {n} 发送的文件，工作人员将进行审核。",
        "wrong_type": "不接受此类型的文件。请发送 PDF、PNG、JPEG、Word (.docx) 或 Excel (.xlsx) 文件。",
        "no_action": "此纠正措施不属于您的案件。",
        "action_closed": "纠正措施 {n} 的状态为 {status}；不再接收文件。",
        "evidence_refused": "纠正措施 {n} 未接受该文件：{reason}",
        "evidence_unavailable": "目前无法转交您的文件；没有任何内容丢失。"
        "请几分钟后重新选择文件并发送（您的备注保留在下方）。",
    },
}


def words(language: str | None) -> dict[str, str]:
    """The portal's words in the supplier's language."""
    return TEXT[mail_language(language)]
