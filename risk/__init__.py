"""Smelter registry and risk assessment: from a declaration to findings.

Stable API (the survey workflow's assess activity calls exactly these):

    from risk import assess, load_registry, Registry

    registry = load_registry(session, as_of)          # from the database, statuses as of a date
    registry = Registry.from_lookup(decl.lookup)      # or from the file's own look-up (statuses unknown)
    registry = registry.with_lookup(decl.lookup)      # plus facilities only a newer template lists
    result = assess(decl, registry, as_of=None, config=load_risk_config(data_dir / "risk.json"))
    result.risk                                       # "high" | "medium" | "low" | "none"
    result.smelters                                   # [SmelterResult]: matched_id, match, score, rmap_status
    result.findings                                   # [Finding]: code, severity, metal, smelter_id, message,
                                                      #   evidence sheet / cell / value
    result.statuses_as_of                             # date of the RMI status list used, or None
    result.to_dict()                                  # JSON-ready

`import_file(session, path, as_of)` stores a Smelter Look-up, an RMI facility list or the CFSI v2->v3
id map in one transaction; `candidates(registry, text, metal)` lists the closest facilities for a name.
Severities, covered countries, status words and match bands are in `RiskConfig`; `minerals` reads
overrides from `<data dir>/risk.json` (keys as RiskConfig fields; dicts are merged with the defaults).
A facility's status is the newest snapshot on or before the as-of date; one missing from every list
is "not conformant" only when some list covers its metal.
"""

from risk.assess import Assessment, SmelterResult, assess
from risk.config import RiskConfig, load_risk_config
from risk.matching import Candidate, Match, candidates, match_row
from risk.registry import Facility, Registry, Status
from risk.rules import Finding
from risk.sources import SourceError
from risk.store import ImportResult, RejectedRows, import_file, import_history, load_registry

__all__ = [
    "Assessment",
    "Candidate",
    "Facility",
    "Finding",
    "ImportResult",
    "Match",
    "Registry",
    "RejectedRows",
    "RiskConfig",
    "SmelterResult",
    "SourceError",
    "Status",
    "assess",
    "candidates",
    "import_file",
    "import_history",
    "load_registry",
    "load_risk_config",
    "match_row",
]
