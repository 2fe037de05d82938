"""Custom search attributes of survey and campaign workflows (sandbox-safe; no PII: ids and stages only)."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

CAMPAIGN = SearchAttributeKey.for_keyword("CampaignId")
SUPPLIER = SearchAttributeKey.for_keyword("SupplierId")
STAGE = SearchAttributeKey.for_keyword("Stage")
RISK = SearchAttributeKey.for_keyword("RiskLevel")
DUE_AT = SearchAttributeKey.for_datetime("DueAt")
REMINDERS = SearchAttributeKey.for_int("ReminderCount")

# Registered by `minerals up` (dev server flags) and by the tests' `start_local(search_attributes=...)`.
SEARCH_ATTRIBUTES: list[SearchAttributeKey] = [CAMPAIGN, SUPPLIER, STAGE, RISK, DUE_AT, REMINDERS]
