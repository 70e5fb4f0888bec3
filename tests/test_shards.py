"""Sharding the audit by institution gives the same audit as one process.

Every file ``write_outputs`` writes is compared byte for byte (audit.json without its time
stamps) between one process, two and three local workers and a Dask LocalCluster, sharding
forced on small data with ``shard_min_posts=0``; each one-process audit runs once per
module. Split and join are tested on their own: a boundary inside a sector, an institution
without posts, never an empty shard, a check that raises in a shard, a worker that dies;
and when the worker processes start (before reading for large files, else when needed).
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO, SPANISH, write_xlsx

from audit import load_rubric, pipeline, run_audit, write_outputs
from audit.measure import checks
from audit.measure.text import posts as text_posts
from audit.pipeline import rescore
from audit.score import engines, shards
from audit.score.scorecard import score_audit

RUBRIC = load_rubric("gobierno")


def _files(folder: Path) -> dict[str, bytes]:
    """Every output file's bytes; audit.json without the keys that hold times."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        data = path.read_bytes()
        if path.name == "audit.json":
            record = {k: v for k, v in json.loads(data).items() if "time" not in k}
            data = json.dumps(record, sort_keys=True).encode()
        found[str(path.relative_to(folder))] = data
    return found


def _outputs(result, folder: Path) -> dict[str, bytes]:
    write_outputs(result, folder)
    return _files(folder)


@pytest.fixture(scope="module")
def spanish(tmp_path_factory) -> Path:
    return write_xlsx(tmp_path_factory.mktemp("shards") / "auditoria.xlsx", SPANISH)


@pytest.fixture(scope="module")
def spanish_one(spanish, tmp_path_factory):
    """The small workbook audited in one process, once for every test that compares."""
    result = run_audit([spanish])
    return result, _outputs(result, tmp_path_factory.mktemp("one"))


@pytest.fixture
def features(spanish_one):
    """The small workbook's features, fresh (no text measures, no memo) for each test."""
    return replace(spanish_one[0].features, memo={})


@pytest.fixture(scope="module")
def demo_one(tmp_path_factory):
    result = run_audit([DEMO])
    return result, _outputs(result, tmp_path_factory.mktemp("one"))


def test_two_workers_write_the_same_files_on_the_demo(demo_one, tmp_path):
    """The demo: 40 institutions whose sectors the shard boundary cuts."""
    result, expected = demo_one
    sharded = run_audit([DEMO], workers=2, shard_min_posts=0)
    assert _outputs(sharded, tmp_path) == expected
    # the joined measures and text measures are those of the whole, for a re-score
    assert list(sharded.scorecard.measures) == list(result.scorecard.measures)
    assert sharded.features.text.posts.equals(result.features.text.posts)
    assert sharded.features.text.flagged.equals(result.features.text.flagged)


def test_the_dask_engine_writes_the_same_files(spanish_one, spanish, tmp_path):
    """A real LocalCluster of two processes, on the smallest data that has two shards."""
    pytest.importorskip("distributed")
    sharded = run_audit([spanish], workers=2, engine="dask", shard_min_posts=0)
    assert _outputs(sharded, tmp_path) == spanish_one[1]


def test_three_workers_on_a_small_workbook_and_the_pool_started_early(spanish_one, spanish,
                                                                     tmp_path, monkeypatch):
    """With files large enough (here: any, the threshold being 0) the pool is started
    before reading and is the one the shards are scored in: two workers beside this
    process, each warmed up, then sent one shard."""
    started = []
    real = engines.start_pool
    monkeypatch.setattr(pipeline, "start_pool", lambda n: started.append(n) or real(n))
    monkeypatch.setattr(engines, "start_pool", lambda n: pytest.fail("started late"))
    three = _outputs(run_audit([spanish], workers=3, shard_min_posts=0), tmp_path)
    assert three == spanish_one[1] and started == [3]


def test_small_files_start_no_pool_before_reading(monkeypatch, spanish):
    """Below the size the threshold of posts stands for, no process is started early; a
    sharded audit then starts its workers when it knows it needs them."""
    monkeypatch.setattr(pipeline, "start_pool", lambda n: pytest.fail("started early"))
    started = []
    real = engines.start_pool
    monkeypatch.setattr(engines, "start_pool", lambda n: started.append(n) or real(n))
    size = spanish.stat().st_size
    assert size // shards.INPUT_BYTES_PER_POST >= 1
    assert run_audit([spanish], workers=2,
                     shard_min_posts=size // shards.INPUT_BYTES_PER_POST + 1).usable
    assert started == []  # and below the threshold of posts, no sharding either
    # files that look small (an upload's bytes) but hold enough posts: started when needed
    monkeypatch.setattr(pipeline, "INPUT_BYTES_PER_POST", size + 1)
    sharded = run_audit([(spanish.name, spanish.read_bytes())], workers=2, shard_min_posts=1)
    assert sharded.usable and started == [2]


def _one_process_notes(result, lang: str = "es") -> list[str]:
    table = result.problems.frame(lang)
    return table.loc[table["code"] == "one_process", "message"].tolist()


def test_below_the_threshold_one_process_audits_and_says_so(monkeypatch, spanish):
    """Workers asked for and left unused are an info entry of the problem log; the
    default (this machine's cores, ``workers=None``) and one worker are not noted."""
    monkeypatch.setattr(engines, "score_sharded", lambda *a, **k: pytest.fail("sharded"))
    result = run_audit([spanish], workers=2)
    posts = len(result.features.posts)
    [note] = _one_process_notes(result)
    assert f"{posts} publicaciones" in note and "100.000" in note
    assert "100,000" in _one_process_notes(result, "en")[0]
    assert result.problems.frame("es").set_index("code").loc["one_process", "severity"] == "info"
    assert result.problems.frame("es").set_index("code").loc["one_process", "column"] == "workers"
    assert _one_process_notes(run_audit([spanish], workers=None)) == []
    assert _one_process_notes(run_audit([spanish], workers=1)) == []
    # sharded, nothing to note
    monkeypatch.undo()
    assert _one_process_notes(run_audit([spanish], workers=2, shard_min_posts=posts)) == []


def test_a_small_audit_on_a_scheduler_is_noted_and_does_not_connect(spanish):
    """Below the threshold no scheduler is reached: the audit succeeds, and says it ran in
    one process (a mistyped address is refused before reading, below)."""
    pytest.importorskip("distributed")
    result = run_audit([spanish], engine="dask", scheduler="tcp://127.0.0.1:1")
    problems = result.problems.frame("en")
    assert result.usable and problems.loc[problems["code"] == "one_process", "column"].tolist() \
        == ["engine"]
    assert len(_one_process_notes(result)) == 1


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "host:8786", "tls://[::1]:8786",
                                     "tcp://scheduler"])
def test_well_formed_scheduler_addresses(address):
    assert engines._well_formed(address)


@pytest.mark.parametrize("address", ["http://host:8786", "tcp://host:port", "tcp://host:99999",
                                     "tcp://:8786", "", "tcp://host:8786/path", "host name:1",
                                     "tcp://host:0"])
def test_malformed_scheduler_addresses_are_refused(address):
    with pytest.raises(engines.EngineOptionError) as raised:
        engines.check_engine(1, "dask", address)
    assert address in raised.value.message.render("es")


def test_after_a_sharded_run_nothing_recomputes_the_text_measures(monkeypatch, spanish_one,
                                                                   features):
    """The shards computed them in their processes; the main process, the report and a
    re-score with other weights read the joined ones."""
    parts = [shards.score_shard(s, RUBRIC) for s in shards.split(features, 2)]
    calls = []
    real = text_posts.text_features
    monkeypatch.setattr(text_posts, "text_features", lambda t: calls.append(1) or real(t))
    features.__dict__.pop("text", None)
    joined = shards.join(features, RUBRIC, parts)
    assert not calls and "text" in features.__dict__
    whole = score_audit(replace(spanish_one[0].features, memo={}), RUBRIC)
    assert joined.scores.equals(whole.scores)
    result = replace(spanish_one[0], features=replace(spanish_one[0].features, memo={}))
    result.features.__dict__["text"] = features.text
    calls.clear()
    rescore(result, RUBRIC)
    assert not calls


def test_a_boundary_may_cut_a_sector_and_every_shard_has_its_own_rows_only(demo_one):
    features = demo_one[0].features
    parts = shards.split(features, 3)
    assert len(parts) == 3
    assert list(parts[0].names.append([p.names for p in parts[1:]])) == list(features.names)
    sectors = [set(p.institutions["sector"]) for p in parts]
    assert sectors[0] & sectors[1]  # the demo's sectors are spread over the sorted names
    for part in parts:
        for table in (part.profiles, part.posts, part.interactions, part.governance):
            assert set(table["institution"]) <= set(part.names)
    assert sum(len(p.posts) for p in parts) == len(features.posts)
    counts = [len(p.posts) for p in parts]
    assert max(counts) < 2 * min(counts)  # balanced by posts


def test_the_first_shard_weighs_as_asked(demo_one):
    """The main process's shard is made heavier (``first``): a worker's shard travels both
    ways. Shares follow the weights, up to one institution's rows."""
    features = demo_one[0].features

    def weight(part):
        return len(part.posts) + len(part.names)  # what split balances

    total = sum(weight(p) for p in shards.split(features, 2))
    for first, share in ((1.0, 1 / 2), (1.5, 1.5 / 2.5), (0.5, 0.5 / 1.5)):
        parts = shards.split(features, 2, first=first)
        assert abs(weight(parts[0]) / total - share) < 0.05, first
    three = shards.split(features, 3, first=2.0)
    assert weight(three[0]) > weight(three[1]) and weight(three[0]) > weight(three[2])


def test_an_institution_without_posts_and_more_shards_than_institutions(features):
    quiet = features.names[0]
    features = replace(features, posts=features.posts[features.posts["institution"] != quiet],
                       memo={})
    parts = shards.split(features, len(features.names) + 3)
    assert len(parts) == len(features.names)  # never an empty shard
    joined = shards.join(features, RUBRIC, [shards.score_shard(p, RUBRIC) for p in parts])
    whole = score_audit(features, RUBRIC)
    assert joined.scores.equals(whole.scores)
    # A shard of one institution may sum its weighted scores in another order than the
    # whole: the last bit of a float can differ, never a written (rounded) output.
    pd.testing.assert_frame_equal(joined.institutions, whole.institutions, rtol=1e-12)
    pd.testing.assert_frame_equal(joined.dimensions, whole.dimensions, rtol=1e-12)
    assert list(joined.details) == list(whole.details)
    for key, frame in whole.details.items():  # the same rows of each institution
        for name, rows in frame.groupby("institution"):
            got = joined.details[key]
            assert got[got["institution"] == name].sort_index().equals(rows.sort_index()), key


def test_a_check_that_raises_in_a_shard_is_reported_as_in_one_process(monkeypatch, features):
    real = checks.CHECKS["spelling_error_rate"]

    def fails_on_the_first(f, params):
        if f.names[0] == features.names[0]:
            raise RuntimeError("made to fail")
        return real(f, params)

    monkeypatch.setitem(checks.CHECKS, "spelling_error_rate", fails_on_the_first)
    parts = [shards.score_shard(p, RUBRIC) for p in shards.split(features, 2)]
    joined = shards.join(features, RUBRIC, parts)
    whole = score_audit(features, RUBRIC)
    assert [(e.criterion, e.error) for e in joined.errors] == \
        [(e.criterion, e.error) for e in whole.errors] != []
    assert joined.scores.equals(whole.scores)


class _Dies:
    """Unpickled in the worker, it ends the worker's process, as a kill would."""

    def __reduce__(self):
        return os._exit, (1,)


def test_a_worker_that_dies_is_a_clear_error(features):
    parts = shards.split(features, 2)
    parts[1].memo["dies"] = _Dies()
    with pytest.raises(engines.ShardFailed) as raised, engines.start_pool(2) as pool:
        engines._local(parts, RUBRIC, pool)
    assert "proceso" in raised.value.message.render("es")


@pytest.mark.parametrize(("args", "said"), [
    (("--workers", "0"), "procesos"), (("--workers", "dos"), "procesos"),
    (("--engine", "spark"), "Motor"), (("--scheduler", "tcp://127.0.0.1:1"), "--engine dask"),
    (("--engine", "dask", "--scheduler", "tcp://host:port"), "planificador"),
])
def test_bad_engine_options_exit_2_with_one_line(cli, spanish, tmp_path, args, said):
    code, _out, err = cli("run", str(spanish), "--out", str(tmp_path / "out"), *args)
    assert code == 2 and said in err and "Traceback" not in err


def test_without_dask_the_dask_engine_is_refused_with_a_message(cli, spanish, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(engines.importlib.util, "find_spec", lambda name: None)
    code, _out, err = cli("run", str(spanish), "--out", str(tmp_path / "out"),
                          "--engine", "dask", "--lang", "en")
    assert code == 2 and "dask[distributed]" in err and "Traceback" not in err
