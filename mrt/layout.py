"""Schema of a template layout: where each field lives and which answers it allows. Layouts are data."""

from __future__ import annotations

from dataclasses import dataclass

# Company block keys, the same in every family (a layout maps the ones it has to cells).
COMPANY_KEYS = (
    "name",
    "scope",
    "scope_description",
    "unique_id",
    "unique_id_authority",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "authorizer",
    "authorizer_title",
    "authorizer_email",
    "authorizer_phone",
    "effective_date",
)

# Per-mineral question topics shared across families and versions, so risk rules need no version.
TOPICS = (
    "intentional",  # intentionally added or used (Q1)
    "remains",  # remains in the product (CMRT Q2)
    "covered_countries",  # sourced from the DRC or adjoining countries (CMRT Q3)
    "cahra",  # sourced from conflict-affected and high-risk areas (CMRT 6 Q4, EMRT Q3)
    "recycled",  # 100% recycled or scrap
    "supplier_response",  # share of relevant suppliers that responded
    "all_smelters_identified",
    "all_info_reported",
    "smelters_validated",  # CMRT 2.x Q6: all smelters validated as compliant
)

COMPANY_TOPICS = (
    "policy",
    "policy_public",  # comment cell holds the URL
    "conflict_free_suppliers",  # CMRT 3-5 C
    "validated_smelters",  # require sourcing from audited smelters
    "due_diligence",
    "survey",
    "request_smelter_names",  # CMRT 3.x G
    "review",
    "corrective_action",
    "disclosure",  # files an annual disclosure (SEC / EU)
    "policy_annex_ii",  # CRT B
    "supplier_due_diligence",  # CRT D, F
)


@dataclass(frozen=True)
class CompanyField:
    """A company-block field: its key (one of COMPANY_KEYS), cell, and whether the Checker needs it."""

    key: str
    cell: str
    required: bool = False


@dataclass(frozen=True)
class Gate:
    """A question is not required for a mineral when question `key` was answered with one of `values`."""

    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class MineralQuestion:
    """A per-mineral question: one answer cell per mineral (fixed layouts) or a block of rows."""

    key: str  # "Q1"
    topic: str  # one of TOPICS
    text: str  # English question text
    cells: tuple[str, ...]  # answer cells in mineral order; dynamic layouts list the whole block
    choices: tuple[str, ...]
    required: bool = True
    unless: tuple[Gate, ...] = ()  # not required for a mineral when any gate holds
    comment_column: str = "G"
    unless_all: tuple[Gate, ...] = ()  # not required when every one of these holds (CMRT 3.x: Q1 and Q2 No)


@dataclass(frozen=True)
class CompanyQuestion:
    """A company-level question (A, B, …), optionally with a comment cell that some answers require."""

    key: str  # "A"
    topic: str  # one of COMPANY_TOPICS
    text: str
    cell: str  # answer cell; for per-mineral questions the first of `cells`
    choices: tuple[str, ...]
    comment_cell: str | None = None
    comment_required_for: tuple[str, ...] = ()  # answers that require the comment (B Yes -> URL)
    per_mineral: bool = False
    cells: tuple[str, ...] = ()  # per-mineral answer cells (EMRT C)


@dataclass(frozen=True)
class TableLayout:
    """A list sheet: header row, first data row, last data row, and field -> column letter."""

    sheet: str
    header_row: int
    first_row: int
    last_row: int
    columns: tuple[tuple[str, str], ...]  # (field name of the row dataclass, column letter)

    def column(self, field: str, default: str = "") -> str:
        """The column letter of a field, or `default` when this table has no such column."""
        return next((letter for name, letter in self.columns if name == field), default)

    def has(self, field: str) -> bool:
        """Whether this table has a column for the field."""
        return any(name == field for name, _ in self.columns)


@dataclass(frozen=True)
class Layout:
    """Where everything lives in one family's layout generation, and what the Checker requires."""

    family: str  # CMRT | EMRT | CRT | AMRT
    generation: str  # e.g. "cmrt-6", "cmrt-3", "emrt-2"
    declaration_sheet: str
    language_cell: str | None
    company: tuple[CompanyField, ...]
    minerals: tuple[str, ...]  # fixed mineral order; empty when chosen in the file (EMRT 2, AMRT)
    questions: tuple[MineralQuestion, ...]
    company_questions: tuple[CompanyQuestion, ...]
    smelters: TableLayout
    products: TableLayout | None
    mines: TableLayout | None = None
    lookup_sheet: str | None = "Smelter Look-up"
    # The scope answer that makes the Product List required, and the one that needs a description.
    scope_product: str = "B. Product (or List of Products)"
    scope_user_defined: str = "C. User defined [Specify in 'Description of scope']"
    scope_choices: tuple[str, ...] = ()
    # Company questions are required when any mineral needs this question (CMRT 6: Q3).
    company_required_with: str | None = "Q3"
    # Dynamic layouts (EMRT 2, AMRT): the cells where the minerals in scope are chosen; question
    # block row k then answers for the k-th chosen mineral in alphabetical order.
    mineral_cells: tuple[str, ...] = ()
    # AMRT 1.3: choosing "Other [specify below]" takes the name typed this many rows below the choice.
    mineral_other_rows: int = 0
    # Columns of the look-up sheet (fields of LookupEntry); None means the CMRT 6 `Smelter Look-up`.
    lookup: TableLayout | None = None
