"""The English wording of check messages, fields and minerals: the msgids of the catalogs (i18n)."""
# ruff: noqa: E501 - one message per line reads (and diffs) better than split strings

from __future__ import annotations

from i18n import NP_

QUESTION = NP_("check", "question {key}")
ANSWER_FOR = NP_("check", "{question} for {mineral}")

FIELDS = {
    "name": NP_("field", "Company name"),
    "scope": NP_("field", "Declaration scope"),
    "scope_description": NP_("field", "Description of scope"),
    "unique_id": NP_("field", "Company unique ID"),
    "unique_id_authority": NP_("field", "Company unique ID authority"),
    "address": NP_("field", "Address"),
    "contact_name": NP_("field", "Contact name"),
    "contact_email": NP_("field", "Contact email"),
    "contact_phone": NP_("field", "Contact phone"),
    "authorizer": NP_("field", "Authorizer"),
    "authorizer_title": NP_("field", "Authorizer title"),
    "authorizer_email": NP_("field", "Authorizer email"),
    "authorizer_phone": NP_("field", "Authorizer phone"),
    "effective_date": NP_("field", "Effective date"),
    "metal": NP_("field", "Metal"),
}
MINERALS = {
    "Tantalum": NP_("mineral", "Tantalum"),
    "Tin": NP_("mineral", "Tin"),
    "Gold": NP_("mineral", "Gold"),
    "Tungsten": NP_("mineral", "Tungsten"),
    "Cobalt": NP_("mineral", "Cobalt"),
    "Mica": NP_("mineral", "Mica"),
    "Copper": NP_("mineral", "Copper"),
    "Graphite": NP_("mineral", "Graphite"),
    "Lithium": NP_("mineral", "Lithium"),
    "Nickel": NP_("mineral", "Nickel"),
}
# One pattern per issue code (and variant): the code is the context, so equal English may differ
MESSAGES = {
    "missing-required.company": NP_(
        "missing-required.company", "{field} is required. Please fill in cell {cell} on the {sheet} sheet."
    ),
    "missing-required.description": NP_(
        "missing-required.description",
        "You chose scope C (user defined), so the description of scope is required. Please describe the scope in cell {cell} on the {sheet} sheet.",
    ),
    "missing-required.minerals": NP_(
        "missing-required.minerals",
        "Please choose at least one mineral in the scope of your declaration (cell {cell} on the {sheet} sheet).",
    ),
    "missing-required.answer": NP_(
        "missing-required.answer",
        "Please answer {question} for {mineral} (cell {cell} on the {sheet} sheet).",
    ),
    "missing-required.answer-spaces": NP_(
        "missing-required.answer-spaces",
        '"{value}" in cell {upstream_cell} has extra spaces, so the template does not take it as "{meant}" and counts {question} for {mineral} as not answered. Please remove the spaces, then check cell {cell} on the {sheet} sheet.',
    ),
    "missing-required.answer-unlisted": NP_(
        "missing-required.answer-unlisted",
        '"{value}" in cell {upstream_cell} is not one of the template\'s answers to question {upstream}, so the template counts {question} for {mineral} as not answered. Please choose an answer from the list in cell {upstream_cell}, then check cell {cell} on the {sheet} sheet.',
    ),
    "missing-required.company-answer": NP_(
        "missing-required.company-answer", "Please answer {question} (cell {cell} on the {sheet} sheet)."
    ),
    "missing-required.company-answer-spaces": NP_(
        "missing-required.company-answer-spaces",
        '"{value}" in cell {cell} has extra spaces, so the template does not take it as "{meant}" and counts {question} as not answered. Please remove the spaces (cell {cell} on the {sheet} sheet).',
    ),
    "missing-required.company-answer-unlisted": NP_(
        "missing-required.company-answer-unlisted",
        '"{value}" is not one of the template\'s answers to {question}, so the template counts it as not answered. Please choose an answer from the list in cell {cell} on the {sheet} sheet.',
    ),
    "missing-required.url": NP_(
        "missing-required.url",
        "You answered Yes to {question}: please enter the web address (URL) of your policy in cell {cell} on the {sheet} sheet.",
    ),
    "missing-required.comment": NP_(
        "missing-required.comment",
        'You answered "{value}" to {question}: please describe it in the comment cell {cell} on the {sheet} sheet.',
    ),
    "missing-required.products": NP_(
        "missing-required.products",
        "Your declaration scope is B (products), so the Product List must list at least one product number, starting in cell {cell}.",
    ),
    "missing-required.smelters": NP_(
        "missing-required.smelters",
        '{mineral} is in the scope of your declaration but no smelter is listed for it. Add at least one row on the Smelter List with the metal {mineral} and a smelter look-up value (or "Smelter not yet identified").',
    ),
    "missing-required.not-listed": NP_(
        "missing-required.not-listed",
        'Row {row} of the Smelter List says "Smelter not listed": please type the smelter\'s name in column D and its country in column E.',
    ),
    "missing-required": NP_(
        "missing-required", "A required field is empty: please fill in cell {cell} on the {sheet} sheet."
    ),
    "not-listed-incomplete": NP_(
        "not-listed-incomplete",
        'Row {row} of the Smelter List says "Smelter not listed": please type the smelter\'s name in column D and its country in column E.',
    ),
    "invalid-choice": NP_(
        "invalid-choice",
        '"{value}" is not an allowed answer for {target}. Please choose one of: {choices} (cell {cell} on the {sheet} sheet).',
    ),
    "invalid-email": NP_(
        "invalid-email",
        '{field} "{value}" is not a valid email address. Please check it for typos, such as a comma instead of a dot (cell {cell}).',
    ),
    "invalid-date": NP_(
        "invalid-date",
        'The effective date "{value}" is not a date after 2006. Please enter the date as a date, for example 31-Jan-2025 (cell {cell}).',
    ),
    "future-date": NP_(
        "future-date",
        "The effective date {value} is in the future. Please enter the date this declaration takes effect, today or earlier (cell {cell}).",
    ),
    "placeholder": NP_(
        "placeholder",
        '{field} says "{value}", which is a placeholder, not an answer. Please enter the actual information (cell {cell}).',
    ),
    "blank-text": NP_(
        "blank-text",
        "Cell {cell} on the {sheet} sheet holds only spaces. The template's Checker counts {target} as filled in, but the cell says nothing: please fill it in.",
    ),
    "missing-required.answer-blank": NP_(
        "missing-required.answer-blank",
        'Cell {upstream_cell} holds only spaces, so the template takes question {upstream} as answered, but not as "Yes", and counts {question} for {mineral} as not answered. Please choose an answer from the list in cell {upstream_cell}, then check cell {cell} on the {sheet} sheet.',
    ),
    "missing-required.company-answer-blank": NP_(
        "missing-required.company-answer-blank",
        "Cell {cell} holds only spaces, so the template counts {question} as not answered. Please choose an answer from the list in cell {cell} on the {sheet} sheet.",
    ),
    "comment-required": NP_(
        "comment-required",
        'You answered "{value}" to {question}: please describe it in the comment cell {cell}.',
    ),
    "missing-smelter-metal": NP_(
        "missing-smelter-metal",
        "Row {row} of the Smelter List has no metal. Please choose the metal in column B.",
    ),
    "invalid-smelter-id": NP_(
        "invalid-smelter-id",
        'The smelter ID "{smelter_id}" in row {row} is not an RMI smelter ID (CID followed by 6 digits). Please correct it, or leave it empty and choose the smelter by name (cell {cell}).',
    ),
    "unknown-smelter-id": NP_(
        "unknown-smelter-id",
        "The smelter ID {smelter_id} in row {row} is not in this template's Smelter Look-up. Please check the number, or use the latest template version if the smelter is new (cell {cell}).",
    ),
    "unknown-smelter-name": NP_(
        "unknown-smelter-name",
        '"{value}" in row {row} is not a smelter name of the Smelter Look-up for this metal. Please pick a name from the list, or choose "Smelter not listed" and type the name in column D.',
    ),
    "smelter-id-metal-mismatch": NP_(
        "smelter-id-metal-mismatch",
        "Row {row} of the Smelter List has the smelter ID {smelter_id} ({id_name}, a {id_metal} smelter) in column A but the metal {mineral} in cell {cell}. Please correct the metal or the smelter ID.",
    ),
    "smelter-id-metal-mismatch.resolved": NP_(
        "smelter-id-metal-mismatch.resolved",
        'Row {row} of the Smelter List has the smelter ID {smelter_id} ({id_name}, a {id_metal} smelter) in column A but the metal {mineral} in cell {cell}. The template then looks the row up as {mineral} + "{lookup}" and takes it as {resolved_name} ({resolved_id}), not {smelter_id}. Please correct the metal or the smelter ID.',
    ),
    "smelter-id-metal-mismatch.unresolved": NP_(
        "smelter-id-metal-mismatch.unresolved",
        'Row {row} of the Smelter List has the smelter ID {smelter_id} ({id_name}, a {id_metal} smelter) in column A but the metal {mineral} in cell {cell}. The template then looks the row up as {mineral} + "{lookup}", finds no such smelter and leaves the row without a smelter ID. Please correct the metal or the smelter ID.',
    ),
    "duplicate-smelter": NP_(
        "duplicate-smelter",
        "Row {row} of the Smelter List repeats the smelter of row {first_row}. Please remove the duplicate row.",
    ),
    "metal-without-smelters": NP_(
        "metal-without-smelters",
        '{mineral} is in scope but the Smelter List does not name any smelter for it yet (only "Smelter not yet identified"). Please identify the smelters as soon as you can.',
    ),
    "smelter-out-of-scope": NP_(
        "smelter-out-of-scope",
        "The Smelter List has {count} row(s) for {mineral}, but your answers to questions 1 and 2 say {mineral} is not in scope. Please correct the answers or remove those rows.",
    ),
    "whitespace": NP_(
        "whitespace",
        "{target} (cell {cell} on the {sheet} sheet) has tabs or extra spaces around its value. Please remove them.",
    ),
    "formula-text": NP_(
        "formula-text",
        '{target} (cell {cell} on the {sheet} sheet) starts like a formula ("{value}"). It is kept as plain text; please check that it is what you meant.',
    ),
    "macro-enabled": NP_(
        "macro-enabled",
        "The file contains macros. They were not run; please send the template as a normal .xlsx file.",
    ),
    "unreadable": NP_("unreadable", "The file could not be read as a reporting template: {reason}"),
    "whitespace.smelter": NP_(
        "whitespace.smelter",
        "Cell {cell} in row {row} of the Smelter List has tabs or extra spaces around its value. Please remove them.",
    ),
    "formula-text.smelter": NP_(
        "formula-text.smelter",
        'Cell {cell} in row {row} of the Smelter List starts like a formula ("{value}"). It is kept as plain text; please check that it is what you meant.',
    ),
    "unreadable.not-a-spreadsheet": NP_(
        "unreadable.not-a-spreadsheet", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.encrypted": NP_(
        "unreadable.encrypted", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.too-large": NP_(
        "unreadable.too-large", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.zip-bomb": NP_(
        "unreadable.zip-bomb", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.xml-entities": NP_(
        "unreadable.xml-entities", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.truncated": NP_(
        "unreadable.truncated", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.unknown-template": NP_(
        "unreadable.unknown-template", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.unsupported-version": NP_(
        "unreadable.unsupported-version", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.timeout": NP_(
        "unreadable.timeout", "The file could not be read as a reporting template: {reason}"
    ),
    "unreadable.parser-crashed": NP_(
        "unreadable.parser-crashed", "The file could not be read as a reporting template: {reason}"
    ),
}
