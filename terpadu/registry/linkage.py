"""The linkage engine: Splink 5 on DuckDB (or Spark) over standardised records.

No Django here and no import of Splink, DuckDB or PyArrow at module level:
web processes import this module's names without loading them.

The pipeline (docs/registry.md has the reasoning and the measured numbers):

1. **Records** in the engine's columns (:data:`COLUMNS`): ``unique_id``,
   ``source``, ``nik``, ``nik12`` (the NIK's first 12 digits, or the same 12
   digits built from the desa's kecamatan, birth date and sex when the NIK is
   missing), name keys, birth date and year, sex, desa, kecamatan, KK,
   mother's and husband's name keys.
2. **Exact NIK links**: same NIK and a compatible name or birth date.
3. **Candidate pairs** from blocking rules that do not all depend on name and
   birth date (:data:`BLOCKING_RULES`); pairs of two population-register
   records are never candidates (the register has one row per NIK).
4. **Scoring** with a Fellegi–Sunter model trained once on a sample of
   villages (:func:`train_model`) and saved as JSON; later runs reuse it.
5. **Clustering** (:func:`cluster`): links taken from the most to the least
   probable, never joining two register records or two existing persons, and
   never joining what a data officer said are different people.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MODEL_VERSION = 1
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "linkage-model.json"

#: Engine columns and their DuckDB types.
COLUMNS: dict[str, str] = {
    "unique_id": "BIGINT",
    "source": "VARCHAR",
    "nik": "VARCHAR",
    "nik12": "VARCHAR",
    "kk": "VARCHAR",
    "name_key": "VARCHAR",
    "first_key": "VARCHAR",
    "last_key": "VARCHAR",
    "sex": "VARCHAR",
    "birth_date": "VARCHAR",
    "birth_year": "INTEGER",
    "village": "VARCHAR",
    "district": "VARCHAR",
    "mother_key": "VARCHAR",
    "spouse_key": "VARCHAR",
}
#: Extra columns the engine carries but never compares.
CARRIED: dict[str, str] = {"person_id": "BIGINT", "truth": "VARCHAR"}

REGISTER = "population"
_NOT_BOTH_REGISTER = f"(l.source <> '{REGISTER}' OR r.source <> '{REGISTER}')"

#: Candidate pairs: a pair is scored when any rule holds. Each rule answers
#: a way Indonesian agency lists go wrong, and no single slip (a name word, a
#: date part, a missing NIK or desa) loses a pair (see docs/registry.md: 99.7 %
#: of true pairs at 1M records from 2.3M candidate pairs).
BLOCKING_RULES: tuple[str, ...] = (
    # same NIK
    "l.nik = r.nik",
    # birth date in the same desa (the name typed wrong in every word)
    "l.birth_date = r.birth_date AND l.village = r.village",
    # same KK and first name word (welfare lists without a NIK)
    "l.kk = r.kk AND l.first_key = r.first_key",
    # whole name in the same desa when the two cannot be compared on NIK or birth date
    "l.name_key = r.name_key AND l.village = r.village "
    "AND (l.birth_date IS NULL OR r.birth_date IS NULL OR l.nik IS NULL OR r.nik IS NULL)",
    # last name word and birth date (first word abbreviated or mistyped, desa unknown)
    "l.last_key = r.last_key AND l.birth_date = r.birth_date",
    # last name word, birth year and desa (first word changed, day or month slipped)
    "l.last_key = r.last_key AND l.village = r.village AND l.birth_year = r.birth_year",
    # first name word and birth date (last word dropped or mistyped)
    "l.first_key = r.first_key AND l.birth_date = r.birth_date",
    # no NIK on one side: its kecamatan + birth date + sex, as the NIK's first 12 digits
    "l.nik12 = r.nik12 AND (l.nik IS NULL OR r.nik IS NULL)",
    # mother's name, desa and birth year ±1 (a child's name spelled differently, no NIK)
    "l.mother_key = r.mother_key AND l.village = r.village "
    "AND abs(l.birth_year - r.birth_year) <= 1",
)

#: The reference set-up for comparison: Splink's documented default shape
#: (plain names, blocking on NIK / first name + birth date / last name + birth
#: date; EM on name and on birth date).
REFERENCE_BLOCKING_RULES: tuple[str, ...] = (
    "l.nik = r.nik",
    "l.first_key = r.first_key AND l.birth_date = r.birth_date",
    "l.last_key = r.last_key AND l.birth_date = r.birth_date",
)


@dataclass(frozen=True)
class Thresholds:
    """Pairs at or above ``auto_link`` are linked; from ``review`` up to it they go to review."""

    auto_link: float = 0.95
    review: float = 0.5


# -- records ----------------------------------------------------------------------


@dataclass
class EngineRecord:
    unique_id: int
    source: str
    name_key: str
    nik: str = ""
    kk: str = ""
    sex: str = ""
    birth_date: date | None = None
    birth_year: int | None = None
    village: str = ""
    district: str = ""
    mother_key: str = ""
    spouse_key: str = ""
    person_id: int | None = None
    truth: str = ""


def pseudo_nik12(district: str, birth: date | None, sex: str) -> str:
    if not district or birth is None or sex not in ("L", "P"):
        return ""
    digits = district.replace(".", "")
    if len(digits) != 6:
        return ""
    day = birth.day + 40 if sex == "P" else birth.day
    return f"{digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}"


def engine_columns(records: Iterable[EngineRecord]) -> dict[str, list[Any]]:
    """Columnar lists for :func:`to_arrow` (empty strings become NULL)."""
    cols: dict[str, list[Any]] = {name: [] for name in (*COLUMNS, *CARRIED)}
    for r in records:
        words = r.name_key.split()
        nik12 = r.nik[:12] if len(r.nik) == 16 else pseudo_nik12(r.district, r.birth_date, r.sex)
        cols["unique_id"].append(r.unique_id)
        cols["source"].append(r.source)
        cols["nik"].append(r.nik or None)
        cols["nik12"].append(nik12 or None)
        cols["kk"].append(r.kk or None)
        cols["name_key"].append(r.name_key or None)
        cols["first_key"].append(words[0] if words else None)
        cols["last_key"].append(words[-1] if len(words) > 1 else None)
        cols["sex"].append(r.sex or None)
        cols["birth_date"].append(r.birth_date.isoformat() if r.birth_date else None)
        cols["birth_year"].append(r.birth_year or (r.birth_date.year if r.birth_date else None))
        cols["village"].append(r.village or None)
        cols["district"].append(r.district or None)
        cols["mother_key"].append(r.mother_key or None)
        cols["spouse_key"].append(r.spouse_key or None)
        cols["person_id"].append(r.person_id)
        cols["truth"].append(r.truth or None)
    return cols


def to_arrow(columns: Mapping[str, list[Any]]) -> Any:
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string()}
    spec = {**COLUMNS, **CARRIED}
    return pa.table({name: pa.array(columns[name], type=types[spec[name]]) for name in spec})


# -- the model --------------------------------------------------------------------


def name_key_comparison() -> Any:
    """The whole-name comparison (standardised name key, then one name word in common),
    shared by the registry's model and ``terpadu link``."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_key"),
            cll.ExactMatchLevel("name_key"),
            cll.JaroWinklerLevel("name_key", 0.94),
            cll.JaroWinklerLevel("name_key", 0.85),
            cll.CustomLevel(
                "(first_key_l = first_key_r OR last_key_l = last_key_r "
                "OR first_key_l = last_key_r OR last_key_l = first_key_r)",
                label_for_charts="one name word shared",
                base_dialect_str="duckdb",
            ),
            cll.ElseLevel(),
        ],
    )


def _comparisons(*, reference: bool = False) -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    if reference:
        # The documented default shape: names and birth date, no Indonesian rules.
        return [
            cl.ExactMatch("nik"),
            cl.JaroWinklerAtThresholds("first_key", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("last_key", [0.92, 0.8]),
            cl.DateOfBirthComparison(
                "birth_date",
                input_is_string=True,
                datetime_metrics=["month", "year", "year"],
                datetime_thresholds=[1, 1, 10],
            ),
            cl.ExactMatch("sex"),
            cl.ExactMatch("village"),
        ]
    duck = "duckdb"
    return [
        cl.CustomComparison(
            output_column_name="nik",
            comparison_levels=[
                cll.NullLevel("nik"),
                cll.ExactMatchLevel("nik"),
                cll.CustomLevel(
                    "substr(nik_l, 1, 8) = substr(nik_r, 1, 8) "
                    "OR substr(nik_l, 9, 8) = substr(nik_r, 9, 8)",
                    label_for_charts="one half of the number the same (a typing slip)",
                    base_dialect_str=duck,
                ),
                cll.ElseLevel(),
            ],
        ),
        name_key_comparison(),
        cl.CustomComparison(
            output_column_name="birth",
            comparison_levels=[
                cll.CustomLevel(
                    "birth_year_l IS NULL OR birth_year_r IS NULL",
                    label_for_charts="birth year missing",
                    base_dialect_str=duck,
                ).configure(is_null_level=True),
                cll.ExactMatchLevel("birth_date"),
                cll.CustomLevel(
                    # one part of the date slipped: the day, the year, or day and month swapped
                    "substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7) "
                    "OR substr(birth_date_l, 5, 6) = substr(birth_date_r, 5, 6) "
                    "OR (substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
                    "AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
                    "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2))",
                    label_for_charts="one part of the date slipped",
                    base_dialect_str=duck,
                ),
                cll.CustomLevel(
                    "birth_year_l = birth_year_r OR (abs(birth_year_l - birth_year_r) <= 1 "
                    "AND (birth_date_l IS NULL OR birth_date_r IS NULL))",
                    label_for_charts="same year (±1 when only an age was known)",
                    base_dialect_str=duck,
                ),
                cll.CustomLevel(
                    "abs(birth_year_l - birth_year_r) <= 1",
                    label_for_charts="year ±1",
                    base_dialect_str=duck,
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_levels=[
                cll.NullLevel("sex"),
                cll.ExactMatchLevel("sex"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="place",
            comparison_levels=[
                cll.CustomLevel(
                    "village_l IS NULL AND district_l IS NULL "
                    "OR village_r IS NULL AND district_r IS NULL",
                    label_for_charts="place missing",
                    base_dialect_str=duck,
                ).configure(is_null_level=True),
                cll.ExactMatchLevel("village"),
                cll.ExactMatchLevel("district"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="mother",
            comparison_levels=[
                cll.NullLevel("mother_key"),
                cll.ExactMatchLevel("mother_key"),
                cll.JaroWinklerLevel("mother_key", 0.88),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="kk",
            comparison_levels=[
                cll.NullLevel("kk"),
                cll.ExactMatchLevel("kk"),
                cll.CustomLevel(
                    "substr(kk_l, 1, 8) = substr(kk_r, 1, 8) "
                    "OR substr(kk_l, 9, 8) = substr(kk_r, 9, 8)",
                    label_for_charts="one half of the number the same (a typing slip)",
                    base_dialect_str=duck,
                ),
                cll.ElseLevel(),
            ],
        ),
    ]


def settings_dict(*, reference: bool = False, dialect: str = "duckdb") -> dict[str, Any]:
    """The untrained Splink settings (ours, or the reference set-up), in ``dialect`` SQL."""
    from splink import SettingsCreator

    rules: tuple[Any, ...] = REFERENCE_BLOCKING_RULES if reference else BLOCKING_RULES
    if not reference:
        rules = tuple(f"({rule}) AND {_NOT_BOTH_REGISTER}" for rule in rules)
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(reference=reference),
        blocking_rules_to_generate_predictions=[*rules],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )
    return creator.get_settings(dialect).as_dict()


# -- backends ---------------------------------------------------------------------


@dataclass
class Session:
    """A database for one linkage job: DuckDB in memory (default) or Spark."""

    backend: str = "duckdb"
    threads: int = 2
    memory_limit: str = ""
    db_api: Any = None
    spark: Any = None
    _names: int = 0

    def __post_init__(self) -> None:
        if self.backend == "duckdb":
            import duckdb
            from splink import DuckDBAPI

            con = duckdb.connect(":memory:")
            con.execute(f"SET threads = {int(self.threads)}")
            if self.memory_limit:
                con.execute(f"SET memory_limit = '{self.memory_limit}'")
            con.execute("SET preserve_insertion_order = false")
            con.execute("SET enable_progress_bar = false")
            self.db_api = DuckDBAPI(connection=con)
        elif self.backend == "spark":
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:
                raise RuntimeError(
                    "backend spark needs pyspark (pip install 'splink[spark]')"
                ) from exc
            from splink import SparkAPI
            from splink.internals.spark.jar_location import similarity_jar_location

            # Local mode here; on a cluster, SPARK_MASTER / spark-submit decide instead.
            partitions = int(os.environ.get("SPARK_SHUFFLE_PARTITIONS", max(2, self.threads * 2)))
            self.spark = (
                SparkSession.builder.master(
                    os.environ.get("SPARK_MASTER", f"local[{self.threads}]")
                )
                .appName("terpadu-linkage")
                .config("spark.jars", similarity_jar_location())  # Splink's jaro_winkler etc.
                .config("spark.sql.shuffle.partitions", str(partitions))
                .config("spark.default.parallelism", str(partitions))
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config(
                    "spark.sql.warehouse.dir",
                    os.path.join(tempfile.gettempdir(), "terpadu-spark-warehouse"),
                )
                .getOrCreate()
            )
            self.spark.sparkContext.setLogLevel("ERROR")
            # Splink breaks long query plans by writing Parquet to a checkpoint directory;
            # without one (local mode) it keeps the intermediate tables in memory instead.
            checkpoints = os.environ.get("SPARK_CHECKPOINT_DIR", "")
            if checkpoints:
                self.spark.sparkContext.setCheckpointDir(checkpoints)
            self.db_api = SparkAPI(
                spark_session=self.spark,
                break_lineage_method="parquet" if checkpoints else "persist",
                num_partitions_on_repartition=partitions,
            )
        else:
            raise ValueError(f"unknown backend {self.backend!r}")

    @property
    def dialect(self) -> str:
        return "spark" if self.backend == "spark" else "duckdb"

    def register(self, table: Any, name: str) -> Any:
        self._names += 1
        if self.backend == "spark":
            # Arrow straight in (Spark 4): pandas would turn integer columns with
            # nulls into floats and cannot type a column that is all null.
            table = self.spark.createDataFrame(table)
        return self.db_api.register(table, table_name=f"{name}_{self._names}")

    def create_table(self, name: str, sql: str) -> None:
        if self.backend == "duckdb":
            self.db_api.duckdb_con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")
        else:
            self.spark.sql(sql).cache().createOrReplaceTempView(name)

    def sql(self, sql: str) -> list[tuple[Any, ...]]:
        if self.backend == "duckdb":
            return [tuple(r) for r in self.db_api.duckdb_con.execute(sql).fetchall()]
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def close(self) -> None:
        if self.backend == "duckdb" and self.db_api is not None:
            self.db_api.duckdb_con.close()
        elif self.spark is not None:
            # The Spark session stays up for the next job in this process (it takes
            # seconds to start); this job's tables go.
            self.spark.catalog.clearCache()
            for table in self.spark.catalog.listTables():
                if table.isTemporary:
                    self.spark.catalog.dropTempView(table.name)


def _linker(frames: Any, model: Mapping[str, Any] | dict[str, Any]) -> Any:
    from splink import Linker

    return Linker(frames, dict(model), log_level=logging.WARNING, validate_settings=False)


def model_sha256(model: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(model, sort_keys=True).encode()).hexdigest()


def load_model(path: Path | None = None) -> dict[str, Any]:
    """The saved model (``var/registry/linkage-model.json`` or the packaged one)."""
    target = path or DEFAULT_MODEL_PATH
    return dict(json.loads(target.read_text(encoding="utf-8")))


def save_model(model: Mapping[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(model, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return path


# -- training -------------------------------------------------------------------


@dataclass
class TrainingReport:
    seconds: float
    sample_records: int
    total_records: int
    probability_two_random_records_match: float
    steps: dict[str, float] = field(default_factory=dict)


def sample_filter(total: int, target: int) -> str:
    """A SQL filter keeping about ``target`` of ``total`` records, whole desa at a time.

    Keeping whole desa keeps the true pairs inside the sample (a random sample
    of records would keep only a few of them and teach EM little).
    """
    if total <= target:
        return "TRUE"
    keep = max(1, round(1000 * target / total))
    return f"(abs(hash(coalesce(village, CAST(unique_id AS VARCHAR)))) % 1000) < {keep}"


def train_model(
    table: Any,
    *,
    session: Session,
    sample_records: int = 150_000,
    seed: int = 2017,
    reference: bool = False,
    u_pairs: float = 1e6,
    em_pairs: float = 5e5,
) -> tuple[dict[str, Any], TrainingReport]:
    """Train on a sample of desa and return the model (a Splink settings dict with parameters).

    ``reference=True`` trains the reference set-up the way its documentation
    shows: on every record, EM blocked on birth date alone and on names.
    """
    t0 = time.perf_counter()
    steps: dict[str, float] = {}
    total = table.num_rows
    frame = session.register(table, "train_all")
    if reference:
        sample = frame
        sample_size = total
    else:
        where = sample_filter(total, sample_records)
        con = session.db_api.duckdb_con if session.backend == "duckdb" else None
        if con is not None:
            sample_table = con.sql(
                f"SELECT * FROM {frame.physical_name} WHERE {where}"  # noqa: S608
            ).to_arrow_table()
        else:
            sample_table = table
        sample = session.register(sample_table, "train_sample")
        sample_size = sample_table.num_rows
    linker = _linker(sample, settings_dict(reference=reference, dialect=session.dialect))
    t = time.perf_counter()
    rules = ["l.nik = r.nik"]
    linker.training.estimate_probability_two_random_records_match(rules, recall=0.6)
    steps["lambda"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    steps["u"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    if reference:
        linker.training.estimate_parameters_using_expectation_maximisation(
            "l.birth_date = r.birth_date", estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            "l.first_key = r.first_key AND l.last_key = r.last_key",
            estimate_without_term_frequencies=True,
        )
    else:
        linker.training.estimate_parameters_using_expectation_maximisation(
            "l.name_key = r.name_key AND l.district = r.district",
            estimate_without_term_frequencies=True,
            max_pairs=em_pairs,
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            "l.birth_date = r.birth_date AND l.village = r.village",
            estimate_without_term_frequencies=True,
            max_pairs=em_pairs,
        )
        # The two blocks above both use the place, so train its m on NIK pairs too.
        linker.training.estimate_parameters_using_expectation_maximisation(
            "l.nik = r.nik",
            estimate_without_term_frequencies=True,
            max_pairs=em_pairs,
        )
    steps["em"] = round(time.perf_counter() - t, 2)
    model = linker.misc.save_model_to_json()
    if not reference:
        _robust_parameters(model)
    lam = float(model.get("probability_two_random_records_match") or 0.0)
    if sample_size < total and lam:
        # The sample keeps whole desa: matches shrink with it, comparisons with its square.
        lam = min(1.0, lam * sample_size / total)
        model["probability_two_random_records_match"] = lam
    model["terpadu"] = {
        "version": MODEL_VERSION,
        "reference": reference,
        "sample_records": sample_size,
        "trained_on_records": total,
    }
    report = TrainingReport(
        seconds=round(time.perf_counter() - t0, 2),
        sample_records=sample_size,
        total_records=total,
        probability_two_random_records_match=lam,
        steps=steps,
    )
    return model, report


#: The least m of a disagreement level: real lists carry wrong sexes and somebody
#: else's NIK (a school writing the mother's), which synthetic data rarely shows;
#: one disagreement must weigh against a link, not veto it.
M_FLOOR = 0.005
#: u of an exact NIK match when random sampling never saw one (two people share a
#: NIK about once in millions of pairs).
U_EXACT_NIK = 1e-7


def _robust_parameters(model: dict[str, Any]) -> None:
    """Floors for trained parameters that the sample could not observe (in place)."""
    for comparison in model.get("comparisons", []):
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        if not levels:
            continue
        last = levels[-1]  # the "else" level
        m = last.get("m_probability")
        if isinstance(m, float | int) and m < M_FLOOR:
            others = sum(lv.get("m_probability") or 0.0 for lv in levels[:-1])
            scale = (1.0 - M_FLOOR) / others if others else 1.0
            for lv in levels[:-1]:
                if isinstance(lv.get("m_probability"), float | int):
                    lv["m_probability"] *= scale
            last["m_probability"] = M_FLOOR
        if comparison.get("output_column_name") == "nik":
            exact = levels[0]
            if not isinstance(exact.get("u_probability"), float | int):
                exact["u_probability"] = U_EXACT_NIK


# -- prediction ---------------------------------------------------------------------


def _splink_model(model: Mapping[str, Any], dialect: str = "duckdb") -> dict[str, Any]:
    """The Splink settings of a saved model, with today's blocking rules.

    The model's parameters come from training; which pairs are candidates is
    this module's decision (:data:`BLOCKING_RULES`), so a model trained before
    a change of rules keeps working with the new ones. For another SQL dialect
    than the model was saved in (a DuckDB-trained model on Spark), the
    comparisons are rebuilt in that dialect and the trained parameters copied
    level by level: Splink does not translate a saved model's SQL.
    """
    out = {k: v for k, v in model.items() if k != "terpadu"}
    reference = bool(model.get("terpadu", {}).get("reference"))
    fresh = settings_dict(reference=reference, dialect=dialect)
    out["blocking_rules_to_generate_predictions"] = fresh["blocking_rules_to_generate_predictions"]
    if dialect != model.get("sql_dialect", "duckdb"):
        comparisons = fresh["comparisons"]
        for new, old in zip(comparisons, model["comparisons"], strict=True):
            levels = zip(new["comparison_levels"], old["comparison_levels"], strict=True)
            for new_level, old_level in levels:
                for key in ("m_probability", "u_probability"):
                    if key in old_level:
                        new_level[key] = old_level[key]
        out["comparisons"] = comparisons
        out["sql_dialect"] = dialect
    return out


@dataclass
class Scored:
    """Scored pairs of one run, kept in the session's database."""

    pairs_table: str  # physical name: unique_id_l, unique_id_r, match_probability
    records_table: str
    candidate_pairs: int
    seconds: dict[str, float]
    blocked_table: str = ""  # every candidate pair, exact NIK links included
    exact_links: int = 0  # of them linked by NIK without scoring


def _nik_links_sql(records: str, *, between: str | None = None) -> str:
    join = f"{records} l JOIN {between or records} r ON l.nik = r.nik"
    order = "" if between else "AND l.unique_id < r.unique_id"
    return f"""
        SELECT l.unique_id AS unique_id_l, r.unique_id AS unique_id_r, 1.0 AS match_probability
        FROM {join}
        WHERE l.nik IS NOT NULL {order}
          AND {_NOT_BOTH_REGISTER}
          AND (l.name_key = r.name_key OR l.first_key = r.first_key
               OR l.birth_date = r.birth_date)
    """  # noqa: S608


#: Same NIK and the same name key, first name word or birth date: linked without
#: scoring. A mistyped NIK can be someone else's, so a bare NIK match is scored.
_EXACT_NIK = (
    "l.nik = r.nik AND (l.name_key = r.name_key OR l.first_key = r.first_key "
    "OR l.birth_date = r.birth_date)"
)


def blocked_pairs_sql(records: str, rules: Sequence[str] = BLOCKING_RULES) -> str:
    """Candidate pairs ``(match_key, join_key_l, join_key_r, exact)`` as Splink expects them.

    Every rule joins the agency records (``l``) to all records (``r``): a pair of
    two agency records is kept once (lower id on the left side of the join), a
    pair with a register record always; two register records never meet.
    ``exact`` is 1 for an exact NIK link (:data:`_EXACT_NIK`, found by the
    first rule, the NIK), which needs no scoring.
    """
    parts = []
    for i, rule in enumerate(rules):
        exact = f"CASE WHEN {_EXACT_NIK} THEN 1 ELSE 0 END" if i == 0 else "0"
        parts.append(
            f"""SELECT {i} AS match_key,
                least(l.unique_id, r.unique_id) AS join_key_l,
                greatest(l.unique_id, r.unique_id) AS join_key_r,
                {exact} AS exact
            FROM agency l JOIN {records} r ON {rule}
            WHERE l.unique_id <> r.unique_id
              AND (r.source = '{REGISTER}' OR l.unique_id < r.unique_id)"""  # noqa: S608
        )
    union = "\n UNION ALL \n".join(parts)
    return f"""WITH agency AS (SELECT * FROM {records} WHERE source <> '{REGISTER}')
        SELECT CAST(min(match_key) AS STRING) AS match_key, join_key_l, join_key_r,
               max(exact) AS exact
        FROM ({union}) GROUP BY join_key_l, join_key_r"""  # noqa: S608


def predict(
    table: Any,
    model: Mapping[str, Any],
    *,
    session: Session,
    threshold: float,
    count_candidates: bool = True,
) -> Scored:
    """Exact NIK links and model-scored candidate pairs at or above ``threshold``."""
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    frame = session.register(table, "records")
    linker = _linker(frame, _splink_model(model, session.dialect))
    seconds["load"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    # Candidate pairs computed here rather than by Splink: an agency record against
    # every record, so register × register pairs are never formed at all. Exact NIK
    # links are set apart: they are linked with probability 1 and never scored.
    blocked_table = f"blocked_{session._names}"
    session.create_table(blocked_table, blocked_pairs_sql(frame.physical_name))
    to_score = f"{blocked_table}_score"
    session.create_table(
        to_score,
        f"SELECT match_key, join_key_l, join_key_r FROM {blocked_table} WHERE exact = 0",  # noqa: S608
    )
    count_sql = f"SELECT count(*), sum(exact) FROM {blocked_table}"  # noqa: S608
    candidates, exact = session.sql(count_sql)[0] if count_candidates else (0, 0)
    linker.table_management.register_blocked_pairs_for_predict(
        session.db_api.register(to_score, table_name=f"{to_score}_sdf")
    )
    seconds["block"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    scored = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    seconds["score"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    name = f"pairs_{session._names}"
    session.create_table(
        name,
        f"""SELECT unique_id_l, unique_id_r, match_probability FROM {scored.physical_name}
        UNION ALL
        SELECT join_key_l AS unique_id_l, join_key_r AS unique_id_r, 1.0 AS match_probability
        FROM {blocked_table} WHERE exact = 1""",  # noqa: S608
    )
    seconds["nik"] = round(time.perf_counter() - t, 2)
    return Scored(
        name, frame.physical_name, int(candidates or 0), seconds, blocked_table, int(exact or 0)
    )


def predict_incremental(
    existing: Any,
    new: Any,
    model: Mapping[str, Any],
    *,
    session: Session,
    threshold: float,
) -> Scored:
    """Pairs between the new records and the existing ones, and among the new ones."""
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    left = session.register(existing, "existing")
    right = session.register(new, "new")
    linker = _linker(left, _splink_model(model, session.dialect))
    seconds["load"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    between = linker.inference.predict_between(
        left, right, threshold_match_probability=threshold, warning_mode="never"
    )
    within = linker.inference.predict_within(
        right, threshold_match_probability=threshold, warning_mode="never"
    )
    seconds["score"] = round(time.perf_counter() - t, 2)
    name = f"pairs_{session._names}"
    session.create_table(
        name,
        f"""SELECT least(unique_id_l, unique_id_r) AS unique_id_l,
               greatest(unique_id_l, unique_id_r) AS unique_id_r,
               max(match_probability) AS match_probability FROM (
            SELECT unique_id_l, unique_id_r, match_probability FROM {between.physical_name}
            UNION ALL SELECT unique_id_l, unique_id_r, match_probability FROM {within.physical_name}
            UNION ALL {_nik_links_sql(left.physical_name, between=right.physical_name)}
            UNION ALL {_nik_links_sql(right.physical_name)}
        ) GROUP BY 1, 2""",  # noqa: S608
    )
    return Scored(name, right.physical_name, 0, seconds)


def fetch_pairs(session: Session, scored: Scored) -> list[tuple[int, int, float]]:
    """The scored pairs, most probable first."""
    sql = (
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {scored.pairs_table} "  # noqa: S608
        "ORDER BY match_probability DESC, unique_id_l, unique_id_r"
    )
    if session.backend == "duckdb":
        # Three Arrow columns at once rather than a tuple of DuckDB values per row.
        found = session.db_api.duckdb_con.sql(sql).to_arrow_table()
        return list(
            zip(
                found["unique_id_l"].to_pylist(),
                found["unique_id_r"].to_pylist(),
                found["match_probability"].to_pylist(),
                strict=True,
            )
        )
    return [(int(a), int(b), float(p)) for a, b, p in session.sql(sql)]


# -- clustering -------------------------------------------------------------------


@dataclass
class Clusters:
    """Record id → cluster root, and for each record the probability of the link that placed it."""

    root: dict[int, int]
    probability: dict[int, float]
    method: dict[int, str]
    refused: int = 0


def cluster(
    ids: Iterable[int],
    pairs: Sequence[tuple[int, int, float]],
    *,
    auto_link: float,
    exclusive: Iterable[int] = (),
    groups: Mapping[int, int] | None = None,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> Clusters:
    """Greedy constrained clustering over pairs sorted by probability.

    ``exclusive`` records (the population register) never share a cluster;
    ``groups`` maps records to existing persons, which are pre-joined and
    never merged with each other; ``must_link`` pairs (a data officer's
    "same person") are joined first; ``cannot_link`` pairs are never in one
    cluster.
    """
    # Only records that take part in a link get entries: a million singletons cost
    # nothing. ``parent`` holds non-roots only; ``exclusive_count`` roots with a count.
    ids = ids if isinstance(ids, list) else list(ids)
    known = set(ids)
    parent: dict[int, int] = {}
    exclusive_count: dict[int, int] = dict.fromkeys(exclusive, 1)
    person_of: dict[int, int] = {}
    forbidden: dict[int, set[int]] = {}
    probability: dict[int, float] = {}
    method: dict[int, str] = {}
    for a, b in cannot_link:
        if a in known and b in known:
            forbidden.setdefault(a, set()).add(b)
            forbidden.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        if x not in known:
            raise KeyError(x)
        root = x
        while root in parent:
            root = parent[root]
        while x in parent and parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def blocked(ra: int, rb: int) -> bool:
        small, large = (
            (ra, rb) if len(forbidden.get(ra, ())) <= len(forbidden.get(rb, ())) else (rb, ra)
        )
        return any(find(x) == large for x in forbidden.get(small, ()))

    def union(ra: int, rb: int) -> int:
        ca, cb = exclusive_count.get(ra, 0), exclusive_count.get(rb, 0)
        if ca < cb:
            ra, rb = rb, ra
        parent[rb] = ra
        if cb:
            exclusive_count[ra] = ca + cb
        if rb in person_of:
            person_of.setdefault(ra, person_of[rb])
        if rb in forbidden:
            forbidden.setdefault(ra, set()).update(forbidden.pop(rb))
        return ra

    # Existing persons first: their records are one cluster already.
    if groups:
        first_of: dict[int, int] = {}
        for record, person in groups.items():
            if record not in known:
                continue
            if person in first_of:
                ra, rb = find(first_of[person]), find(record)
                if ra != rb:
                    union(ra, rb)
            else:
                first_of[person] = record
            person_of[find(record)] = person
        for record in groups:
            if record in known:
                probability.setdefault(record, 1.0)
    for a, b in must_link:
        if a in known and b in known:
            ra, rb = find(a), find(b)
            if ra != rb and not blocked(ra, rb):
                union(ra, rb)
                for x in (a, b):
                    probability[x] = 1.0
                    method[x] = "clerical"
    refused = 0
    for a, b, p in pairs:
        if p < auto_link:
            break
        ra = find(a) if a in parent or a not in known else a
        rb = find(b) if b in parent or b not in known else b
        if ra == rb:
            continue
        if exclusive_count.get(ra, 0) + exclusive_count.get(rb, 0) > 1:
            refused += 1
            continue
        if ra in person_of and rb in person_of and person_of[ra] != person_of[rb]:
            refused += 1
            continue
        if forbidden and blocked(ra, rb):
            refused += 1
            continue
        union(ra, rb)
        for x in (a, b):
            if p > probability.get(x, 0.0):
                probability[x] = p
    root = dict(zip(ids, ids, strict=True))
    for x in list(parent):
        root[x] = find(x)
    return Clusters(root=root, probability=probability, method=method, refused=refused)


# -- evaluation ------------------------------------------------------------------


def pairwise_scores(truth: Mapping[int, str], root: Mapping[int, int]) -> dict[str, float | int]:
    """Precision, recall and F1 over record pairs implied by clusters, against known truth."""
    from collections import Counter

    def pairs(counter: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    labelled = [i for i in root if truth.get(i)]
    predicted = pairs(Counter(root[i] for i in labelled))
    actual = pairs(Counter(truth[i] for i in labelled))
    correct = pairs(Counter((root[i], truth[i]) for i in labelled))
    precision = correct / predicted if predicted else 1.0
    recall = correct / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "true_pairs": actual,
        "predicted_pairs": predicted,
        "correct_pairs": correct,
    }


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
