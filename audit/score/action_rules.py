"""The rubric's action settings: the priority tiers, and the check of the ``actions`` block
and of each criterion's ``tier``, ``group`` and ``sector_actions`` (see
``audit.score.recommend`` for what they do). Apart from the loader and the recommendations
so that both can use it without importing each other."""

from __future__ import annotations

from audit.ingest.contract import SECTORS
from audit.messages import LANGS

__all__ = ["SHEETS", "TIERS", "check_actions"]

#: Priority tiers, first first.
TIERS = ("compliance", "citizens_waiting", "profiles", "rest")
#: The sheets a data request may ask for (scorecard ``missing_inputs``).
SHEETS = ("profiles", "posts", "interactions", "governance")


def check_actions(data: dict, horizons: tuple[str, ...]) -> list[str]:
    """The mistakes in a rubric's action settings: the ``actions`` block (plan size, groups,
    data requests) and each criterion's ``tier``, ``group`` and ``sector_actions``. Called
    by the rubric loader, so an auditor's typo is reported with the file and the key."""
    settings = data.get("actions")
    if not isinstance(settings, dict):
        return ["'actions': expected a mapping with plan_size, groups and data_requests"]
    mistakes = []
    size = settings.get("plan_size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        mistakes.append("actions.plan_size: expected a whole number from 1")
    groups = settings.get("groups") or {}
    if not isinstance(groups, dict):
        return [*mistakes, "actions.groups: expected a mapping of group id -> action"]
    for gid, group in groups.items():
        mistakes += _check_action(group, f"actions.groups.{gid}", horizons)
    requests = settings.get("data_requests")
    if not isinstance(requests, dict) or set(requests) != set(SHEETS):
        mistakes.append(f"actions.data_requests: expected {', '.join(SHEETS)}")
    else:
        for sheet, spec in requests.items():
            where = f"actions.data_requests.{sheet}"
            if not isinstance(spec, dict) or spec.get("tier") not in TIERS:
                mistakes.append(f"{where}.tier: expected one of {', '.join(TIERS)}")
            else:
                mistakes += _check_action({**spec, "action": {"es": "-", "en": "-"}}, where,
                                          horizons)
    for dimension in data.get("dimensions") or []:
        for c in dimension.get("criteria") or []:
            where = f"dimensions.{dimension.get('id')}.criteria.{c.get('id')}"
            if c.get("tier", "rest") not in TIERS:
                mistakes.append(f"{where}.tier: expected one of {', '.join(TIERS)}")
            if c.get("group") is not None and c["group"] not in groups:
                mistakes.append(f"{where}.group: expected a group of actions.groups "
                                f"({', '.join(groups) or 'none'})")
            for sector, action in (c.get("sector_actions") or {}).items():
                if sector not in SECTORS or not _bilingual(action):
                    mistakes.append(f"{where}.sector_actions.{sector}: expected a sector "
                                    f"({', '.join(SECTORS)}) with texts for 'es' and 'en'")
    return mistakes


def _bilingual(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) and value.get(k)
                                           for k in LANGS)


def _check_action(spec: object, where: str, horizons: tuple[str, ...]) -> list[str]:
    if not isinstance(spec, dict):
        return [f"{where}: expected a mapping with action, horizon and effort"]
    mistakes = []
    if not _bilingual(spec.get("action")):
        mistakes.append(f"{where}.action: expected texts for 'es' and 'en'")
    if spec.get("horizon") not in horizons:
        mistakes.append(f"{where}.horizon: expected short, medium or long")
    if spec.get("effort") not in (1, 2, 3):
        mistakes.append(f"{where}.effort: expected 1, 2 or 3")
    return mistakes
