"""Schema migrations against the real server: applied once, in order, recorded."""

from __future__ import annotations

import shutil

import pytest

from kg.core import migrations
from kg.core.resources import resource_dir
from tests.helpers import rows, value


def test_constraints_and_indexes_exist(neo):
    constraints = {r["name"] for r in rows(neo, "SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"author_key", "paper_arxiv_id", "topic_code", "institution_key"} <= constraints
    fulltext = {
        r["name"]: r["props"]
        for r in rows(
            neo,
            "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties "
            "RETURN name, labelsOrTypes + properties AS props",
        )
    }
    assert fulltext["author_names"] == ["Author", "name"]
    assert fulltext["paper_text"] == ["Paper", "title", "abstract"]


def test_applying_again_changes_nothing(neo):
    before = value(neo, "SHOW INDEXES YIELD name RETURN count(*)")
    assert migrations.apply(neo) == []
    assert value(neo, "SHOW INDEXES YIELD name RETURN count(*)") == before
    recorded = rows(neo, "MATCH (m:SchemaMigration) RETURN m.version AS v ORDER BY v")
    assert [r["v"] for r in recorded] == [m.version for m in migrations.migrations()]


def test_a_new_migration_is_applied_forward(neo, tmp_path):
    shutil.copytree(resource_dir("schema"), tmp_path, dirs_exist_ok=True)
    (tmp_path / "900_test_extra.cypher").write_text(
        "// test only\nCREATE INDEX test_extra IF NOT EXISTS FOR (p:Paper) ON (p.year);\n"
    )
    try:
        assert migrations.apply(neo, directory=tmp_path) == ["900_test_extra"]
        assert migrations.apply(neo, directory=tmp_path) == []
        assert value(neo, "SHOW INDEXES YIELD name WHERE name = 'test_extra' RETURN count(*)") == 1
    finally:
        neo.execute_query("DROP INDEX test_extra IF EXISTS")
        neo.execute_query("MATCH (m:SchemaMigration {version: 900}) DELETE m")


def test_editing_an_applied_migration_is_refused(neo, tmp_path):
    shutil.copytree(resource_dir("schema"), tmp_path, dirs_exist_ok=True)
    first = sorted(tmp_path.glob("001_*.cypher"))[0]
    first.write_text(first.read_text() + "\n// edited\n")
    with pytest.raises(migrations.MigrationError, match="new, higher-numbered schema file"):
        migrations.apply(neo, directory=tmp_path)


def test_statements_split_on_semicolons_and_skip_comments():
    mig = migrations.migrations()[0]
    statements = mig.statements()
    assert statements and all(s.startswith("CREATE CONSTRAINT") for s in statements)
