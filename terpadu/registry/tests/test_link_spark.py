"""Issue 7 §6: the same Splink settings on Splink's Spark backend, pyspark in local mode.

``terpadu link dedupe --engine spark`` trains and links a small list on Spark
and must give the clusters DuckDB gives; a model saved on DuckDB gives the same
probabilities on Spark; and the registry's own engine (the packaged model,
``linkage.predict``) scores the same pairs on both.

The Spark session is made here first (one core, one shuffle partition, no
adaptive re-planning, the JIT's quick tier): only start-up and scheduling
overheads change, which dominate on a list this small. Splink's similarity
jar comes from the splink wheel; nothing is downloaded.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from terpadu.registry import linkage
from terpadu.registry import standardise as std
from terpadu.registry.tests import link_data as ld

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession
    from splink.internals.spark.jar_location import similarity_jar_location

    session = (
        SparkSession.builder.master("local[1]")
        .appName("terpadu-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    yield session
    session.stop()


def _run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("link", *args, stdout=out, stderr=io.StringIO())
    return dict(json.loads(out.getvalue()))


def _probabilities(path: Path) -> dict[tuple[str, str], float]:
    return {(p["id_l"], p["id_r"]): float(p["match_probability"]) for p in ld.read(path)}


def test_spark_engine_gives_the_duckdb_results(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPARK_SHUFFLE_PARTITIONS", "1")
    rows, truth = ld.people(40, duplicates=10)
    src = ld.write(tmp_path / "warga.csv", rows)
    model = tmp_path / "model.json"
    common = ["--threads", "1", "--min-probability", "0.01"]

    def files(name: str) -> list[str]:
        return ["--out", str(tmp_path / f"{name}.csv"), "--pairs", str(tmp_path / f"{name}-p.csv")]

    duck = _run("dedupe", str(src), *files("duck"), "--save-model", str(model), *common)
    on_spark = _run("dedupe", str(src), *files("spark"), "--engine", "spark", *common)

    assert on_spark["engine"] == "spark" and on_spark["model"]["trained_on"] == "input"
    clusters = ld.found_clusters(ld.read(tmp_path / "spark.csv"))
    assert clusters == ld.found_clusters(ld.read(tmp_path / "duck.csv"))
    assert clusters == ld.true_clusters(truth)
    assert on_spark["clusters_with_duplicates"] == duck["clusters_with_duplicates"] == 10
    # trained on Spark, the parameters come out the same up to float rounding
    duck_p = _probabilities(tmp_path / "duck-p.csv")
    spark_p = _probabilities(tmp_path / "spark-p.csv")
    strong = {k for k, p in duck_p.items() if p >= 0.5}
    assert strong == {k for k, p in spark_p.items() if p >= 0.5}
    assert all(abs(duck_p[k] - spark_p[k]) < 1e-3 for k in strong)

    # the model saved on DuckDB, rebuilt in Spark SQL: the same probabilities
    _run("dedupe", str(src), *files("saved"), "--engine", "spark", "--model", str(model), *common)
    saved_p = _probabilities(tmp_path / "saved-p.csv")
    assert saved_p.keys() == duck_p.keys()
    assert all(abs(duck_p[k] - saved_p[k]) <= 2e-6 for k in duck_p)

    # one test, so that one JVM serves all of it even when pytest-xdist splits a module
    _registry_engine_scores_the_same_pairs_on_spark()


def _engine_table() -> Any:
    """A register and a school list in the registry engine's columns (no database)."""
    rows, truth = ld.people(30, duplicates=12)
    records = []
    for i, (rid, nik, name, born, sex, _address, desa, mother) in enumerate(rows, start=1):
        person = truth[rid]
        first = next(r for r in rows if truth[r[0]] == person)[0] == rid
        records.append(
            linkage.EngineRecord(
                unique_id=i,
                source="population" if first else "school",
                name_key=std.name_key(name),
                nik=nik,
                sex="L" if sex.startswith("L") else "P",
                birth_date=date.fromisoformat(born),
                village="35.10.05." + str(2000 + ld.DESA.index(desa.removeprefix("Ds. "))),
                district="35.10.05",
                mother_key=std.name_key(mother),
                truth=str(person),
            )
        )
    return linkage.to_arrow(linkage.engine_columns(records))


def _registry_engine_scores_the_same_pairs_on_spark() -> None:
    """The registry's engine: the packaged (DuckDB-trained) model on both backends."""
    table = _engine_table()
    model = linkage.load_model()
    scores = {}
    for backend in ("duckdb", "spark"):
        session = linkage.Session(backend=backend, threads=1)
        try:
            scored = linkage.predict(table, model, session=session, threshold=0.5)
            scores[backend] = {(a, b): p for a, b, p in linkage.fetch_pairs(session, scored)}
        finally:
            session.close()
    assert scores["spark"].keys() == scores["duckdb"].keys()
    assert len(scores["duckdb"]) >= 10
    assert all(abs(scores["spark"][k] - p) < 1e-9 for k, p in scores["duckdb"].items())
