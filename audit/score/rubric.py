"""Load a rubric: the YAML file that holds every threshold, weight and citation of an audit.

A rubric is named (``gobierno``, a file in ``rubrics/``) or given by path. A sector rubric
may start from another with ``extends: gobierno`` and change only what differs: top-level
mappings merge key by key, dimensions and criteria merge by ``id`` (``remove: true`` drops
one). Loading checks the result and reports every mistake with the file, the key and what
was expected, because rubrics are edited by auditors, not only by developers.

A criterion's ``params`` may only name the options its check declares (see
``audit.measure.checks``), with values of the kind of the declared default; an option the
rubric leaves out takes that default (``Rubric.params``).

Texts that state a threshold are templates, so that the number is typed once: any text of
the rubric (labels, descriptions, actions, level texts) may name ``{active_days}``,
``{irregular_days}``, ``{inactive_days}`` (the profile status thresholds) and
``{window_days}`` (the audit window, also ``{status_window_days}``), and a criterion's texts
also the options of its check (``{min_words}``, ``{threshold:pct}``), with the
catalogue's value formats (``:pct``, ``:n1``...; see ``audit.messages``); ``{{`` writes a
brace. ``Rubric.data`` keeps the templates as written
(an edited rubric is edited there and exported with them); ``Rubric.dimensions``,
``criteria()`` and ``levels`` give the texts filled from the rubric's own values, so a
threshold changed on the Rubric page changes every text that states it.

Marks are rubric data too: ``horizons`` gives the length (``days``) and the labels of the
short, medium and long horizons of the recommended actions (a horizon's texts may name its
``{days}``), and ``risk: true`` marks the criteria whose shortfall an executive should hear
about first (``Rubric.risks``).
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from audit.messages import LANGS, fill
from audit.score.action_rules import check_actions
from audit.score.curves import SCORING_KINDS
from audit.score.sources import BIBLIOGRAPHY, PASSAGE_KINDS, bibliography, citation, passage

__all__ = ["DIMENSIONS", "RUBRICS_DIR", "Rubric", "RubricError", "load_rubric", "rubric_from_data",
           "rubric_names"]

RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"
DIMENSIONS = ("activity", "identity", "tone", "responsiveness", "transparency", "engagement",
              "governance")
HORIZONS = ("short", "medium", "long")
# Each gate rule with the parameters it takes: "dimension" (a dimension id), "score" (0-100),
# "count" (a whole number >= 1) or "share" (0-1). What each rule means: audit/score/levels.py.
GATES = {
    "live_profiles_min": {"min": "count"},
    "live_profiles_share": {"min": "share"},
    "no_abandoned_profiles": {},
    "no_inactive_profiles": {},
    "dimension_evaluated": {"dimension": "dimension"},
    "dimension_min": {"dimension": "dimension", "min": "score"},
    "all_dimensions_evaluated": {},
    "every_dimension_min": {"min": "score"},
}


class RubricError(ValueError):
    """A rubric file that cannot be used; the message lists every mistake found."""


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    label: dict[str, str]
    data: dict
    sha256: str
    path: str

    @property
    def status_days(self) -> dict[str, float]:
        return self.data["profile_status"]["days"]

    @property
    def window_days(self) -> int:
        return int(self.data["profile_status"]["window_days"])

    @cached_property
    def _filled(self) -> dict:
        """The rubric's data with every text template filled (module docstring)."""
        filled, _ = _fill_texts(self.data)
        return filled

    @property
    def dimensions(self) -> list[dict]:
        """Dimensions in the canonical order, each with its criteria, texts filled."""
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        return sorted(self._filled.get("dimensions", []), key=lambda d: order[d["id"]])

    @property
    def profile_status(self) -> dict:
        """The profile status block (days, window, source), texts filled."""
        return self._filled["profile_status"]

    @property
    def horizons(self) -> dict[str, dict]:
        """Horizon id (short, medium, long) -> its ``days``, ``label`` and ``span`` texts."""
        return self._filled["horizons"]

    @property
    def actions(self) -> dict:
        """How actions are gathered and ordered: ``plan_size``, ``groups`` (texts filled) and
        ``data_requests`` (see ``audit.score.recommend``)."""
        return self._filled["actions"]

    @property
    def risks(self) -> list[tuple[str, str]]:
        """(dimension, criterion) of the criteria marked ``risk: true``: the shortfalls an
        executive should hear about first."""
        return [(d["id"], c["id"]) for d, c in self.criteria() if c.get("risk")]

    @property
    def maturity(self) -> dict:
        """The maturity settings: levels, ``min_coverage`` and ``knockouts``, texts filled."""
        return self._filled["maturity"]

    @property
    def levels(self) -> list[dict]:
        """Maturity levels from the lowest, texts filled."""
        return sorted(self._filled["maturity"]["levels"], key=lambda level: level["level"])

    def citation(self, source: dict, lang: str) -> str:
        """How a reader sees a source block's work: "Title (Author, Year)" from the
        bibliography (``audit.score.sources``), never a file name."""
        return citation(source["id"], lang)

    def passage(self, source: dict, lang: str) -> str:
        """A source block's passage as a reader sees it: the quote in quotation marks, or
        the paraphrase labelled as one."""
        return passage(source, lang)

    def criteria(self):
        """Yield (dimension, criterion) pairs in order."""
        for dimension in self.dimensions:
            for criterion in dimension["criteria"]:
                yield dimension, criterion

    def params(self, criterion: dict) -> dict:
        """The options the criterion's check runs with: its declared defaults with the
        criterion's ``params`` over them."""
        from audit.measure.checks import options

        return options(criterion["metric"], criterion.get("params") or {})


def rubric_names() -> list[str]:
    """The named rubrics: the YAML files of the rubrics folder but the bibliography."""
    return sorted(p.stem for p in RUBRICS_DIR.glob("*.yaml") if p.name != BIBLIOGRAPHY.name)


def load_rubric(name_or_path: str = "gobierno") -> Rubric:
    """Read and check a rubric by name (a file in rubrics/) or by path. The parsed YAML is
    kept per process (see ``_parse``), so loading the same file again costs a read."""
    path = _locate(name_or_path)
    raw = _read(path)
    data = _parse(path, raw)
    hashed = raw
    if isinstance(data, dict) and data.get("extends"):
        base_path = _locate(str(data["extends"]))
        base_raw = _read(base_path)
        data = _merge(_parse(base_path, base_raw), data)
        hashed = base_raw + b"\n---\n" + raw
    return rubric_from_data(data, path.name, hashlib.sha256(hashed).hexdigest())


def rubric_from_data(data: object, name: str = "rubric.yaml", sha256: str | None = None) -> Rubric:
    """Check an already-parsed rubric (for example one edited in the app)."""
    mistakes = _check(data)
    if mistakes:
        raise RubricError("\n".join(f"{name}: {m}" for m in mistakes))
    digest = sha256 or hashlib.sha256(yaml.dump(
        data, Dumper=_DUMPER, sort_keys=True, allow_unicode=True).encode()).hexdigest()
    return Rubric(id=str(data["id"]), version=str(data["version"]), label=data["label"],
                  data=data, sha256=digest, path=name)


def _locate(name_or_path: str) -> Path:
    path = Path(name_or_path)
    return path if path.suffix else RUBRICS_DIR / f"{name_or_path}.yaml"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        known = ", ".join(rubric_names())
        raise RubricError(f"{path.name}: cannot be read ({exc.strerror}); "
                          f"known rubrics: {known}") from None


# Parsed rubric files of this process, newest last: path -> (mtime, size, bytes, data).
# Bounded, because every rubric uploaded in the app is a file of its own.
_PARSED: dict[str, tuple[int, int, bytes, object]] = {}
_PARSED_MAX = 16
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: about ten times faster
# The same text as yaml.safe_dump (so the same sha256 of an edited rubric), six times
# faster: the app hashes the rubric again on every edit of a weight.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _parse(path: Path, raw: bytes) -> object:
    """The YAML data of ``raw`` (the bytes of ``path``), as a fresh copy: a caller that edits
    it (the app's rubric editor) must not change what the next load returns. A file is parsed
    again when its time, size or bytes change (an upload rewritten in place keeps its path)."""
    try:
        stat = path.stat()
    except OSError:  # gone since it was read: parse what was read
        return _load_yaml(path, raw)
    key, stamp = str(path.resolve()), (stat.st_mtime_ns, stat.st_size, raw)
    cached = _PARSED.pop(key, None)
    if cached is None or cached[:3] != stamp:
        cached = (*stamp, _load_yaml(path, raw))
    _PARSED[key] = cached
    while len(_PARSED) > _PARSED_MAX:
        del _PARSED[next(iter(_PARSED))]
    return copy.deepcopy(cached[3])


def _load_yaml(path: Path, raw: bytes) -> object:
    """Parse with libyaml; on an error, parse again with the pure-Python loader, whose message
    shows the offending line under the file's name."""
    try:
        return yaml.load(raw, Loader=_LOADER)
    except yaml.YAMLError:
        try:
            return yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise RubricError(f"{path.name}: not valid YAML: {exc}") from None


def _merge(base: dict, override: dict) -> dict:
    """Merge a sector rubric over the one it extends (mappings by key, lists of items by id)."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if key == "extends":
            continue
        if key == "dimensions":
            merged[key] = _merge_by_id(merged.get(key, []), value, nested="criteria")
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = copy.deepcopy(value)
    merged["extends"] = override["extends"]
    return merged


def _merge_by_id(base: list, override: list, nested: str | None = None) -> list:
    items = {item["id"]: item for item in base}
    order = [item["id"] for item in base]
    for item in override or []:
        key = item.get("id")
        if item.get("remove"):
            items.pop(key, None)
            order = [k for k in order if k != key]
        elif key in items:
            current = items[key]
            for field, value in item.items():
                if field == nested:
                    current[field] = _merge_by_id(current.get(field, []), value)
                else:
                    current[field] = copy.deepcopy(value)
        else:
            items[key] = copy.deepcopy(item)
            order.append(key)
    return [items[k] for k in order]


# --- checking ----------------------------------------------------------------------------


def _bilingual(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) and value.get(k)
                                           for k in ("es", "en"))


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positive(value: object) -> bool:
    return _number(value) and value > 0


def _criterion_ids(dimensions: object) -> set[str]:
    """The criterion ids a rubric declares, whatever else is wrong with it."""
    return {c.get("id") for d in dimensions if isinstance(d, dict)
            for c in d.get("criteria") or [] if isinstance(c, dict)} \
        if isinstance(dimensions, list) else set()


def _check(data: object) -> list[str]:
    if not isinstance(data, dict):
        return ["the file must be a mapping of keys (id, version, label, ...)"]
    mistakes = []
    for key in ("id", "version"):
        if not isinstance(data.get(key), str) or not data.get(key):
            mistakes.append(f"'{key}': expected a non-empty text")
    if not _bilingual(data.get("label")):
        mistakes.append("'label': expected texts for 'es' and 'en'")
    mistakes += _check_status(data.get("profile_status"))
    mistakes += _check_maturity(data.get("maturity"), _criterion_ids(data.get("dimensions")))
    mistakes += _check_horizons(data.get("horizons"))
    mistakes += _check_dimensions(data.get("dimensions"), data.get("horizons"))
    mistakes += check_actions(data, HORIZONS)
    if not mistakes:  # the values the templates name are sound: fill them once to check
        mistakes += _fill_texts(data)[1]
    return mistakes


def _check_status(status: object) -> list[str]:
    if not isinstance(status, dict):
        return ["'profile_status': expected a mapping with 'days' and 'window_days'"]
    mistakes = []
    days = status.get("days")
    names = ("active", "irregular", "inactive")
    if not isinstance(days, dict) or not all(_positive(days.get(k)) for k in names):
        mistakes.append("'profile_status.days': expected positive numbers for "
                        "active, irregular and inactive")
    elif not days["active"] <= days["irregular"] <= days["inactive"]:
        mistakes.append("'profile_status.days': expected active <= irregular <= inactive")
    if not _positive(status.get("window_days")):
        mistakes.append("'profile_status.window_days': expected a positive number of days")
    return (mistakes + _check_source(status.get("source"), "profile_status.source")
            + _check_threshold_source(status.get("threshold_source"), "profile_status"))


def _check_maturity(maturity: object, criteria: set[str]) -> list[str]:
    levels = maturity.get("levels") if isinstance(maturity, dict) else None
    if not isinstance(levels, list) or not levels:
        return ["'maturity.levels': expected a list of levels"]
    mistakes = []
    coverage = maturity.get("min_coverage")
    if not _number(coverage) or not 0 < coverage <= 1:
        mistakes.append("'maturity.min_coverage': expected the share of the rubric's weight "
                        "(0-1) below which no level is given, e.g. 0.7")
    for i, level in enumerate(levels):
        where = f"maturity.levels[{i}]"
        if not isinstance(level, dict):
            mistakes.append(f"{where}: expected a mapping")
            continue
        if not isinstance(level.get("level"), int) or not _number(level.get("min_score")):
            mistakes.append(f"{where}: expected 'level' (1-5) and 'min_score' (0-100)")
        if not _bilingual(level.get("label")):
            mistakes.append(f"{where}.label: expected texts for 'es' and 'en'")
        for j, gate in enumerate(level.get("gates", []) or []):
            mistakes += _check_gate(gate, f"{where}.gates[{j}]")
    if isinstance(levels[0], dict) and levels[0].get("min_score") != 0:
        mistakes.append("'maturity.levels': the first level must have min_score 0")
    for i, knockout in enumerate(maturity.get("knockouts") or []):
        where = f"maturity.knockouts[{i}]"
        if not isinstance(knockout, dict) or knockout.get("criterion") not in criteria \
                or not _number(knockout.get("max")) or not isinstance(knockout.get("cap"), int):
            mistakes.append(f"{where}: expected 'criterion' (a criterion id of this rubric), "
                            f"'max' (the measured value above which the level is capped) and "
                            f"'cap' (the highest level then allowed)")
    return mistakes


_GATE_VALUES = {
    "dimension": (lambda v: v in DIMENSIONS, f"one of {', '.join(DIMENSIONS)}"),
    "score": (lambda v: _number(v) and 0 <= v <= 100, "a score from 0 to 100"),
    "count": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
              "a whole number from 1"),
    "share": (lambda v: _number(v) and 0 < v <= 1, "a share from 0 to 1"),
}


def _check_gate(gate: object, where: str) -> list[str]:
    """A gate names a known rule and exactly the parameters that rule takes."""
    if not isinstance(gate, dict) or gate.get("rule") not in GATES:
        return [f"{where}: expected a 'rule' among {', '.join(GATES)}"]
    wanted = GATES[gate["rule"]]
    mistakes = [f"{where}.{key}: unknown parameter of {gate['rule']}; accepted: "
                f"{', '.join(wanted) or 'none'}" for key in gate if key not in (*wanted, "rule")]
    for key, kind in wanted.items():
        holds, expected = _GATE_VALUES[kind]
        if not holds(gate.get(key)):
            mistakes.append(f"{where}.{key}: expected {expected}")
    return mistakes


def _check_horizons(horizons: object) -> list[str]:
    if not isinstance(horizons, dict) or set(horizons) != set(HORIZONS):
        return [f"'horizons': expected a mapping with {', '.join(HORIZONS)}"]
    mistakes = []
    for hid, horizon in horizons.items():
        if not isinstance(horizon, dict) or not _positive(horizon.get("days")):
            mistakes.append(f"horizons.{hid}.days: expected a positive number of days")
            continue
        for key in ("label", "span"):
            if not _bilingual(horizon.get(key)):
                mistakes.append(f"horizons.{hid}.{key}: expected texts for 'es' and 'en'")
    return mistakes


def _check_dimensions(dimensions: object, horizons: object) -> list[str]:
    from audit.measure.checks import _load_checks

    _load_checks()
    if not isinstance(dimensions, list) or not dimensions:
        return ["'dimensions': expected a list of dimensions"]
    mistakes, seen = [], set()
    for dimension in dimensions:
        did = dimension.get("id") if isinstance(dimension, dict) else None
        where = f"dimensions.{did}"
        if did not in DIMENSIONS or did in seen:
            mistakes.append(f"{where}: expected a unique id among {', '.join(DIMENSIONS)}")
            continue
        seen.add(did)
        if not _positive(dimension.get("weight")):
            mistakes.append(f"{where}.weight: expected a positive number")
        if not _bilingual(dimension.get("label")):
            mistakes.append(f"{where}.label: expected texts for 'es' and 'en'")
        criteria = dimension.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            mistakes.append(f"{where}.criteria: expected a list of criteria")
            continue
        ids = set()
        for criterion in criteria:
            cid = criterion.get("id") if isinstance(criterion, dict) else None
            cwhere = f"dimensions.{did}.criteria.{cid}"
            if not cid or cid in ids:
                mistakes.append(f"{cwhere}: expected a unique id")
                continue
            ids.add(cid)
            mistakes += _check_criterion(criterion, cwhere, horizons)
    return mistakes


def _check_criterion(c: dict, where: str, horizons: object) -> list[str]:
    from audit.measure.checks import OPTIONS

    mistakes = []
    for key in ("label", "description", "action"):
        if not _bilingual(c.get(key)):
            mistakes.append(f"{where}.{key}: expected texts for 'es' and 'en'")
    mistakes += _check_source(c.get("source"), f"{where}.source")
    numeric = isinstance(c.get("scoring"), dict) and c["scoring"].get("type") != "identity"
    mistakes += _check_threshold_source(c.get("threshold_source"), where, required=numeric)
    # Why nearly every institution sits at one extreme of this criterion on real data, when
    # that is by design (a fault most never commit): the item analysis reads it
    # (audit.report.item_analysis) and reports the saturation as explained.
    if "saturation" in c and not _bilingual(c["saturation"]):
        mistakes.append(f"{where}.saturation: expected texts for 'es' and 'en' saying why "
                        f"most institutions score at one extreme")
    if c.get("metric") not in OPTIONS:
        mistakes.append(f"{where}.metric: {c.get('metric')!r} is not a known metric")
    if c.get("params") is not None and not isinstance(c.get("params"), dict):
        mistakes.append(f"{where}.params: expected a mapping")
    elif c.get("metric") in OPTIONS:
        mistakes += _check_params(c.get("params") or {}, OPTIONS[c["metric"]], where)
    mistakes += _check_scoring(c.get("scoring"), where)
    # Weight 0: the criterion is measured, shown and may knock out a level (a floor such as
    # "no personal data in posts" is not an achievement that should lift a score).
    if not _number(c.get("weight")) or c["weight"] < 0:
        mistakes.append(f"{where}.weight: expected a number, 0 or more")
    if not _number(c.get("target")) or not 0 < c["target"] <= 1:
        mistakes.append(f"{where}.target: expected a score between 0 and 1")
    if c.get("horizon") not in HORIZONS or not isinstance(horizons, dict):
        mistakes.append(f"{where}.horizon: expected short, medium or long")
    if not isinstance(c.get("risk", False), bool):
        mistakes.append(f"{where}.risk: expected true or false")
    if c.get("effort") not in (1, 2, 3):
        mistakes.append(f"{where}.effort: expected 1, 2 or 3")
    return mistakes


def _check_source(source: object, where: str) -> list[str]:
    """A citation: the ``id`` of a work in the bibliography (rubrics/sources.yaml) and either
    a ``quote`` (verbatim; a list of fragments is shown joined by "[…]") or a ``paraphrase``
    (see ``audit.score.sources``)."""
    known = bibliography()
    if not isinstance(source, dict) or source.get("id") not in known:
        got = source.get("id") if isinstance(source, dict) else None
        return [f"{where}: expected 'id', a source of {BIBLIOGRAPHY.name} "
                f"({', '.join(known)}), got {got!r}"]
    if "seed" in source or "passage" in source:
        return [f"{where}: 'seed' and 'passage' are no longer read; name the work by 'id' and "
                f"give its words as 'quote' or a summary as 'paraphrase'"]
    kinds = [k for k in PASSAGE_KINDS if k in source]
    if len(kinds) != 1:
        return [f"{where}: expected either 'quote' (the guideline's own words) or "
                f"'paraphrase' (a summary, shown labelled as one), not both"]
    value = source[kinds[0]]
    parts = value if kinds[0] == "quote" and isinstance(value, list) else [value]
    if not parts or not all(isinstance(p, str) and p.strip() for p in parts):
        return [f"{where}.{kinds[0]}: expected a text"
                + (" or a list of texts" if kinds[0] == "quote" else "")]
    return []


def _check_threshold_source(text: object, where: str, required: bool = True) -> list[str]:
    """Where the numbers come from, in both languages: a guideline or benchmark, or plainly
    the audit team. Required wherever the rubric sets a threshold (any scoring curve but
    ``identity``), because no cited guideline gives one."""
    if text is None and not required:
        return []
    if not _bilingual(text):
        return [f"{where}.threshold_source: expected texts for 'es' and 'en' saying where the "
                f"thresholds come from (a guideline, a benchmark or the audit team)"]
    return []


def _kind(value: object) -> str:
    """What an option holds, in the words of a mistake: number, text, list..."""
    if isinstance(value, bool):
        return "yes/no"
    if _number(value):
        return "number"
    return {str: "text", list: "list", dict: "mapping"}.get(type(value), type(value).__name__)


def _check_params(params: dict, declared: dict, where: str) -> list[str]:
    """Every key a declared option, of the kind of its default; every required one given."""
    from audit.measure.checks import REQUIRED

    accepted = ", ".join(declared) or "none"
    mistakes = []
    for key, value in params.items():
        if key not in declared:
            mistakes.append(f"{where}.params.{key}: unknown option; accepted: {accepted}")
            continue
        default = declared[key]
        if default is not None and default is not REQUIRED and _kind(value) != _kind(default):
            mistakes.append(f"{where}.params.{key}: expected a {_kind(default)}, "
                            f"got {_kind(value) if value is not None else 'nothing'}")
    for key, default in declared.items():
        if default is REQUIRED and params.get(key) is None:
            mistakes.append(f"{where}.params.{key}: required option missing")
    return mistakes


def _check_scoring(scoring: object, where: str) -> list[str]:
    if not isinstance(scoring, dict) or scoring.get("type") not in SCORING_KINDS:
        return [f"{where}.scoring: expected a 'type' among {', '.join(SCORING_KINDS)}"]
    kind = scoring["type"]
    if kind == "lognormal":
        good, median = scoring.get("good"), scoring.get("median")
        if not (_positive(good) and _positive(median)) or good == median:
            return [f"{where}.scoring: lognormal needs positive 'good' and 'median' that differ"]
    if kind == "share" and not _positive(scoring.get("target")):
        return [f"{where}.scoring: share needs a positive 'target'"]
    if kind == "inverse_share" and not _positive(scoring.get("max")):
        return [f"{where}.scoring: inverse_share needs a positive 'max'"]
    if kind == "steps" and not (isinstance(scoring.get("steps"), list) and all(
            isinstance(s, list) and len(s) == 2 and all(map(_number, s))
            for s in scoring["steps"])):
        return [f"{where}.scoring: steps needs a list of [upper bound, score] pairs"]
    if kind == "band" and not _band(scoring):
        return [f"{where}.scoring: band needs 'full: [low, high]' inside 'zero: [below, "
                f"above]' (below < low <= high < above)"]
    return []


def _band(scoring: dict) -> bool:
    """``full: [low, high]`` and ``zero: [below, above]``, numbers, below < low <= high < above."""
    full, zero = scoring.get("full"), scoring.get("zero")
    if not all(isinstance(v, list) and len(v) == 2 and all(map(_number, v)) for v in (full, zero)):
        return False
    return zero[0] < full[0] <= full[1] < zero[1]


# --- text templates ----------------------------------------------------------------------


def _status_values(data: dict) -> dict[str, object]:
    status = data["profile_status"]
    return {f"{k}_days": v for k, v in status["days"].items()} | {
        "status_window_days": status["window_days"], "window_days": status["window_days"]}


def _fill_texts(data: dict) -> tuple[dict, list[str]]:
    """A copy of ``data`` with every bilingual text filled, and the mistakes found (an
    unknown placeholder, a bad format), each with its path. Params and sources are left as
    written: params are values, a source passage is a quotation."""
    mistakes: list[str] = []
    status = _status_values(data)

    def walk(node: object, path: str, values: dict) -> object:
        if isinstance(node, list):
            return [walk(item, f"{path}.{item['id']}" if isinstance(item, dict) and "id" in item
                         else f"{path}[{i}]", values) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        if set(node) == set(LANGS) and all(isinstance(t, str) for t in node.values()):
            return {lang: filled(node[lang], f"{path}.{lang}", values, lang) for lang in node}
        if node.get("metric") is not None:
            from audit.measure.checks import options

            values = values | options(node["metric"], node.get("params") or {})
        if path.startswith("horizons."):
            values = values | {"days": node["days"]}
        return {key: value if key in ("params", "source")
                else walk(value, f"{path}.{key}".lstrip("."), values)
                for key, value in node.items()}

    def filled(template: str, where: str, values: dict, lang: str) -> str:
        try:
            return fill(template, lang, values)
        except KeyError as exc:
            mistakes.append(f"{where}: unknown placeholder {{{exc.args[0]}}}; known: "
                            + ", ".join(sorted(values)))
        except (ValueError, IndexError) as exc:
            mistakes.append(f"{where}: cannot fill the text ({exc}); write {{{{ for a brace")
        return template

    return walk(data, "", status), mistakes
