"""Moved to cases/enrolment.py (the console enrols too); kept so existing imports keep working."""

from cases.enrolment import CampaignConflict, CampaignPlan, check_plan, enrol

__all__ = ["CampaignConflict", "CampaignPlan", "check_plan", "enrol"]
