"""Migrations build exactly the models' schema, guard the audit log and adopt older databases."""

from __future__ import annotations

import multiprocessing
import shutil
from dataclasses import replace
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, select, text
from sqlalchemy.orm import Session

from finmon.errors import StoreError
from finmon.names import analyse_name
from finmon.screening.index import filing_keys
from finmon.settings import load_settings
from finmon.store import Database, default_database, verify_audit
from finmon.store.audit import append_audit
from finmon.store.customer_index import _decode, candidate_customers
from finmon.store.customers import import_customers
from finmon.store.migrations import (
    BASE_TABLES,
    VERSIONS,
    current_revision,
    head_revision,
    revision_graph,
)
from finmon.store.migrations.revisions import (
    config,
    context_options,
    new_revision,
    upgrade_to_head,
)
from finmon.store.models import Base, NameTokenKey, NameTokenRow
from tests.store.workflow_data import fixture_rows, write_csv


def _schema_differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts=context_options())
        return list(compare_metadata(context, Base.metadata))


def _revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return current_revision(conn)


def _audit_one_row(session: Session) -> None:
    append_audit(session, actor="officer", action="test.event", object="thing:1", after={"n": 1})


def test_upgraded_empty_database_has_exactly_the_models_schema() -> None:
    db = default_database()
    assert _revision(db) == head_revision()
    assert _schema_differences(db) == []


def test_downgrade_to_nothing_and_upgrade_again_gives_the_same_schema() -> None:
    db = default_database()
    with db.engine.begin() as conn:
        command.downgrade(config(conn), "base")
        assert set(Base.metadata.tables) & set(inspect(conn).get_table_names()) == set()
        upgrade_to_head(conn)
    assert _schema_differences(db) == []


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET reason = 'nothing happened'", "DELETE FROM audit_log WHERE id = 1"],
)
def test_audit_log_refuses_update_and_delete(statement: str) -> None:
    db = default_database()
    with db.write() as session:
        _audit_one_row(session)
    with pytest.raises(StoreError, match="append-only"), db.write() as session:
        session.execute(text(statement))
    assert verify_audit().rows == 1


def test_audit_log_refuses_truncate_on_postgresql() -> None:
    db = default_database()
    if db.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE; its DELETE trigger covers emptying the table")
    with db.write() as session:
        _audit_one_row(session)
    with pytest.raises(StoreError, match="append-only"), db.write() as session:
        session.execute(text("TRUNCATE audit_log"))
    assert verify_audit().rows == 1


def test_foreign_keys_are_enforced_again_after_an_upgrade() -> None:
    # SQLite migrates with foreign keys off; the pooled connection must not keep them off.
    db = default_database()
    insert = text(
        "INSERT INTO designations (list_version_id, source, reference, schema, caption, payload) "
        "VALUES (999, 'un', 'QDi.001', 'Person', 'Nobody', '{}')"
    )
    with pytest.raises(StoreError, match=r"(?i)foreign key"), db.write() as session:
        session.execute(insert)


def test_database_made_before_migrations_is_stamped_and_keeps_its_rows(finmon_home: Path) -> None:
    finmon_home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(load_settings().database_url)
    tables = [Base.metadata.tables[name] for name in BASE_TABLES]
    Base.metadata.create_all(engine, tables=tables)
    with Session(engine) as session, session.begin():
        _audit_one_row(session)
    engine.dispose()
    db = default_database()
    assert _revision(db) == head_revision()
    assert _schema_differences(db) == []
    report = verify_audit()
    assert report.ok and report.rows == 1
    with pytest.raises(StoreError, match="append-only"), db.write() as session:
        session.execute(text("DELETE FROM audit_log"))


def test_database_with_only_some_of_finmons_tables_is_refused(finmon_home: Path) -> None:
    finmon_home.mkdir(parents=True, exist_ok=True)
    engine = create_engine(load_settings().database_url)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables["list_versions"]])
    engine.dispose()
    with pytest.raises(StoreError, match=r"has tables \['list_versions'\] but not"):
        default_database()


def test_database_from_a_newer_finmon_is_refused_clearly() -> None:
    db = default_database()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_a_newer_finmon'"))
    with pytest.raises(StoreError, match="9999_from_a_newer_finmon, newer than this finmon knows"):
        Database(db.url)


def _open(url: str, barrier: Barrier) -> None:
    barrier.wait(timeout=60)
    Database(url).dispose()


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    # Four rather than two: without the write lock, two forked openers still serialise by luck
    # about one run in five; four practically never do.
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    fork = multiprocessing.get_context("fork")
    barrier = fork.Barrier(4)
    processes = [fork.Process(target=_open, args=(url, barrier)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [process.exitcode for process in processes] == [0] * 4
    db = Database(url)
    assert _revision(db) == head_revision()
    assert _schema_differences(db) == []
    db.dispose()


def test_revision_graph_read_from_the_files_agrees_with_alembic() -> None:
    scripts = ScriptDirectory.from_config(config())
    assert head_revision() == scripts.get_current_head()
    assert set(revision_graph()) == {script.revision for script in scripts.walk_revisions()}


def test_new_revision_is_numbered_after_head_and_follows_it(tmp_path: Path) -> None:
    for path in VERSIONS.glob("*.py"):
        shutil.copy(path, tmp_path)
    head = head_revision()
    written = new_revision("Customers & alerts", tmp_path)
    assert written.name == f"{int(head[:4]) + 1:04d}_customers_alerts.py"
    source = written.read_text(encoding="utf-8")
    assert f"down_revision = {head!r}" in source
    assert "finmon.store.models" not in source


def test_finmon_column_types_are_written_as_their_sql_types() -> None:
    # Revisions must not import the models, which keep changing after a revision is written.
    with create_engine("sqlite://").connect() as conn:
        context = MigrationContext.configure(conn, opts=context_options())
        upgrade = produce_migrations(context, Base.metadata).upgrade_ops
        assert upgrade is not None
        code = render_python_code(upgrade, render_item=context_options()["render_item"])
    assert "UtcDateTime" not in code
    assert "sa.DateTime()" in code


def _written_0003(text: str, key: str) -> set[str]:
    if text == key or " " in text:
        return set()
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)) if len(text) >= 4)}


def test_0003_files_the_written_form_keys_that_tokens_indexed_before_it_lack(
    tmp_path: Path,
) -> None:
    rows = fixture_rows()
    extra = [
        {**rows[0], "id": "T1", "full_name": "Maaxim Ayman"},
        {**rows[0], "id": "T2", "full_name": "Kaxng Mun Kil"},
        {**rows[0], "id": "T3", "full_name": "Woo Yong"},
    ]
    for row in extra:
        row["iin"] = row["accounts"] = ""
    import_customers(write_csv(tmp_path / "customers.csv", [*rows, *extra]), actor="officer.a")
    db = default_database()
    keys = NameTokenKey.__table__
    with db.engine.begin() as conn:
        tokens = {
            i: _decode(data) for i, data in conn.execute(select(NameTokenRow.id, NameTokenRow.data))
        }
        now = {(k, i) for i, token in tokens.items() for k in filing_keys(token)}
        before = {(k, i) for i, t in tokens.items() for k in filing_keys(replace(t, text=t.key))}
        assert len(now - before) > 10  # the written forms the revision must file
        assert set(conn.execute(select(keys.c.key, keys.c.token_id))) == now
        # The index as finmon filed it before 0003, at 0002.
        conn.execute(keys.delete())
        conn.execute(keys.insert(), [{"key": k, "token_id": i} for k, i in sorted(before)])
        command.downgrade(config(conn), "0002_customers_alerts_freezes")
        assert current_revision(conn) == "0002_customers_alerts_freezes"
        upgrade_to_head(conn)
        # 0003 files the written form and its one-letter deletions, as the index filed them then
        # (block keys came later; the next import or list load re-indexes under INDEX_SCHEME).
        written = {(k, i) for i, t in tokens.items() for k in _written_0003(t.text, t.key)}
        assert now - before <= written | {(k, i) for k, i in now if k.startswith("^")}
        assert set(conn.execute(select(keys.c.key, keys.c.token_id))) == before | written
    with db.read() as session:
        found = candidate_customers(session, [([analyse_name("MAALIM AYMAN")], None)])
    assert "T1" in found


def test_0020_moves_the_receipt_keys_onto_the_registered_entities_and_back(
    tmp_path: Path,
) -> None:
    from finmon.lists.feed import generate_keys, key_id, load_public_key, public_key_pem
    from finmon.services import fiu_intake
    from finmon.store.models import FiuEntity

    generate_keys(tmp_path / "e.key", tmp_path / "e.pub")
    key = load_public_key(tmp_path / "e.pub")
    fiu_intake.register_entity(
        "fiu", bin="000740001307", goaml_id=1, name="Bank", kind="bank",
        feed_key_file=tmp_path / "e.pub",
    )  # fmt: skip
    db = default_database()
    entities = FiuEntity.__table__
    with db.engine.begin() as conn:
        command.downgrade(config(conn), "0019_fiu_disseminations")
        stored = conn.execute(text("SELECT entity_bin, key_id FROM feed_entity_keys")).all()
        assert [tuple(row) for row in stored] == [("000740001307", key_id(key))]
        upgrade_to_head(conn)
        row = conn.execute(select(entities.c.feed_key, entities.c.feed_public_key)).one()
        assert (row.feed_key, row.feed_public_key) == (key_id(key), public_key_pem(key).decode())
        assert "feed_entity_keys" not in inspect(conn).get_table_names()
        # A key of an entity the registry does not hold refuses the upgrade, naming it.
        command.downgrade(config(conn), "0019_fiu_disseminations")
        conn.execute(
            text(
                "INSERT INTO feed_entity_keys (entity_bin, public_key, key_id, added_at, added_by)"
                " VALUES ('000740001319', 'pem', 'k', '2026-01-01 00:00:00', 'fiu')"
            )
        )
        with pytest.raises(RuntimeError, match="000740001319"):
            command.upgrade(config(conn), "0020_fiu_entity_keys")
        conn.execute(text("DELETE FROM feed_entity_keys WHERE entity_bin = '000740001319'"))
        upgrade_to_head(conn)
    assert _schema_differences(db) == []


def test_0022_keeps_the_index_rows_and_files_them_without_rowid_on_sqlite(
    tmp_path: Path,
) -> None:
    import_customers(write_csv(tmp_path / "customers.csv", fixture_rows()), actor="officer.a")
    db = default_database()
    tables = ("name_token_keys", "customer_tokens")

    def rows(conn: Connection) -> dict[str, list[tuple[object, ...]]]:
        return {t: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {t}")))) for t in tables}

    def without_rowid(conn: Connection) -> list[bool]:
        found = []
        for table in tables:
            sql = conn.execute(text(f"SELECT sql FROM sqlite_master WHERE name = '{table}'"))
            found.append("WITHOUT ROWID" in sql.scalar_one())
        return found

    with db.engine.begin() as conn:
        stored = rows(conn)
        assert len(stored["name_token_keys"]) > 100 and stored["customer_tokens"]
        sqlite = conn.dialect.name == "sqlite"
        command.downgrade(config(conn), "0021_user_language")
        assert rows(conn) == stored
        if sqlite:
            assert without_rowid(conn) == [False, False]
        upgrade_to_head(conn)
        assert rows(conn) == stored
        if sqlite:
            assert without_rowid(conn) == [True, True]
            indexes = inspect(conn).get_indexes("customer_tokens")
            assert [i["column_names"] for i in indexes] == [["customer_id"]]
