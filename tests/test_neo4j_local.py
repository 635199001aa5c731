"""The local Neo4j manager: a real second instance, started, reused and stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core import java, neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from tests.helpers import throwaway_instance, value


@pytest.fixture
def instance(tmp_path: Path, settings: Settings) -> Settings:
    """A throwaway instance on its own ports, sharing the jar cache of the test instance."""
    return throwaway_instance(settings, tmp_path / "neo4j")


def test_config_binds_loopback_with_auth_on(instance):
    conf = neo4j_local.render_config(instance)
    assert "server.default_listen_address=127.0.0.1" in conf
    assert f"server.bolt.listen_address=127.0.0.1:{instance.bolt_port}" in conf
    assert f"server.http.listen_address=127.0.0.1:{instance.http_port}" in conf
    assert "dbms.security.auth_enabled=true" in conf


def test_start_reuses_cache_and_data_then_stops(instance):
    try:
        first = neo4j_local.start(instance, log=lambda _: None)
        assert first.running and first.bolt_answering
        password = instance.password_file.read_text().strip()
        assert len(password) == 32 and oct(instance.password_file.stat().st_mode)[-3:] == "600"
        again = neo4j_local.start(instance, log=lambda _: None)
        assert again.pid == first.pid  # already running: nothing new started
        with connected(instance) as drv:
            drv.execute_query("CREATE (:Probe {n: 42})")
        assert neo4j_local.stop(instance, log=lambda _: None)
        assert not neo4j_local.status(instance).running
        assert not neo4j_local.port_open(instance.bolt_port)

        neo4j_local.start(instance, log=lambda _: None)
        assert instance.password_file.read_text().strip() == password
        with connected(instance) as drv:
            assert value(drv, "MATCH (p:Probe) RETURN p.n") == 42
    finally:
        neo4j_local.stop(instance, log=lambda _: None)


def test_a_given_password_is_used_even_if_it_starts_with_a_dash(instance):
    dashed = instance.with_(neo4j_password_env="-starts-with-a-dash")
    try:
        neo4j_local.start(dashed, log=lambda _: None)
        with connected(dashed) as drv:
            assert value(drv, "RETURN 1") == 1
    finally:
        neo4j_local.stop(dashed, log=lambda _: None)


def test_taken_port_is_a_clear_error(instance, settings):
    clash = instance.with_(bolt_port=settings.bolt_port)
    with pytest.raises(neo4j_local.Neo4jSetupError, match="KG_BOLT_PORT"):
        neo4j_local.start(clash, log=lambda _: None)


def test_missing_java_says_how_to_fix(instance, monkeypatch):
    monkeypatch.setattr(java, "java_major", lambda path: 11)
    with pytest.raises(neo4j_local.Neo4jSetupError, match=r"needs Java 17 or 21.*KG_JAVA_HOME"):
        java.find_java(instance)


def test_missing_maven_says_how_to_fix(instance, tmp_path, monkeypatch):
    empty_cache = instance.with_(neo4j_cache=tmp_path / "cache")
    real_which = neo4j_local.shutil.which
    monkeypatch.setattr(
        neo4j_local.shutil, "which", lambda name: None if name == "mvn" else real_which(name)
    )
    with pytest.raises(neo4j_local.Neo4jSetupError, match="apt-get install maven"):
        neo4j_local.install(empty_cache, log=lambda _: None)


def test_status_of_the_running_test_instance(settings, neo):
    state = neo4j_local.status(settings)
    assert state.running and state.bolt_answering
    assert str(settings.bolt_port) in state.detail
