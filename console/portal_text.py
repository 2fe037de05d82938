"""The supplier portal's words: English msgids, shown in the supplier's language through the catalogs."""
# ruff: noqa: E501 - one message per line reads (and diffs) better than split strings

from __future__ import annotations

from i18n import N_, available, language_for, text

WORDS: dict[str, str] = {
    "skip": N_("Skip to content"),
    "title": N_("Upload your {template}"),
    "intro": N_("{campaign}: please upload the filled {template} for {supplier} by {due}."),
    "file": N_("Filled template (.xlsx)"),
    "upload": N_("Upload"),
    "latest": N_("Your latest file"),
    "complete": N_("Thank you: the file is complete."),
    "incomplete": N_("Please correct these points and upload the file again."),
    "unreadable": N_("This file could not be read. Please upload the template as an .xlsx file."),
    "pending": N_("The file is being checked."),
    "issues": N_("{count} point(s) to fix"),
    "sheet": N_("Sheet"),
    "cell": N_("Cell"),
    "what": N_("What to fix"),
    "finished": N_("This case is {stage}; no further upload is needed."),
    "rejected": N_("The file was not accepted: {reason}"),
    "unavailable": N_(
        "We received your file but cannot check it right now. Please try again in a few minutes."
    ),
    "not_started": N_(
        "Your survey has not started yet. Please upload the file once you have received our request email."
    ),
    "down_title": N_("The upload page is not available right now"),
    "down": N_("Our system cannot be reached for a moment. Please try again in a few minutes."),
    "too_large": N_("The file is too large: the limit is {limit} MB."),
    "no_file": N_("Choose a file to upload."),
    "actions_title": N_("Corrective actions"),
    "actions_intro": N_(
        "Our review found points that need a corrective action. Upload a corrected template above, or send a document (a letter, a certificate) for an action below; our staff review each document."
    ),
    "action": N_("Corrective action {n}"),
    "expected": N_("What we expect"),
    "respond_by": N_("Please respond by {due}."),
    "rejected_because": N_("Your previous response was not accepted: {reason}"),
    "documents": N_("Documents you sent"),
    "review_pending": N_("awaiting review"),
    "review_accepted": N_("accepted"),
    "review_rejected": N_("not accepted"),
    # A finished case's stage, as the `finished` sentence names it.
    "stage-accepted": N_("accepted"),
    "stage-risk-found": N_("risk found"),
    "stage-exempted": N_("exempted"),
    "stage-closed": N_("closed"),
    "document": N_("Document (PDF, PNG, JPEG, Word .docx or Excel .xlsx)"),
    "note": N_("Note: what the document shows (optional)"),
    "send_document": N_("Send document"),
    "evidence_received": N_(
        "Thank you: your document for corrective action {n} was received and will be reviewed by our staff."
    ),
    "wrong_type": N_(
        "This type of file is not accepted. Please send a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx) file."
    ),
    "no_action": N_("This corrective action is not part of your case."),
    "action_closed": N_("Corrective action {n} is {status}; it takes no more documents."),
    "evidence_refused": N_("Corrective action {n} did not take the document: {reason}"),
    "evidence_unavailable": N_(
        "We could not pass your document on right now; nothing was lost. Please choose the file again and send it in a few minutes (your note is kept below)."
    ),
}

# The page for a link we cannot read says it in every language we write (we cannot tell whose it was).
INVALID = N_("This upload link is not valid or has expired. Please use the link from your latest email.")


def invalid_notices() -> list[tuple[str, str]]:
    """The invalid-link notice in every language with a catalog but English (the page's own)."""
    return [(code, text(code, INVALID)) for code in available() if code != "en"]


def words(language: str | None) -> dict[str, str]:
    """The portal's words in the supplier's language."""
    code = language_for(language)
    return {key: text(code, english) for key, english in WORDS.items()}


def finished_notice(words: dict[str, str], stage: str) -> str:
    """The notice that a finished case takes no further upload, its stage in the supplier's words."""
    return words["finished"].format(stage=words.get(f"stage-{stage}", stage))


def browser_language(accept_language: str) -> str:
    """The first language of an Accept-Language header the portal speaks (English otherwise): what a
    page shows when the supplier's own language cannot be read from the database."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip()
        code = language_for(tag)
        if tag and (code != "en" or tag.lower().startswith("en")):
            return code
    return "en"
