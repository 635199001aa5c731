"""Dates the queries send as text come back as the values the driver's types gave."""

from datetime import UTC, date, datetime, timedelta, timezone

import neo4j.time

from kg.api.gateway import iso_date, iso_datetime


def test_dates_and_datetimes_as_neo4j_writes_them() -> None:
    assert iso_date("2024-01-07") == date(2024, 1, 7)
    assert iso_date(None) is None and iso_datetime(None) is None
    utc = iso_datetime("2024-01-03T17:59:46Z")
    assert utc is not None and utc.isoformat() == "2024-01-03T17:59:46+00:00"
    zoned = iso_datetime("2015-07-21T21:40:32.142+01:00[Europe/London]")
    assert zoned == datetime(2015, 7, 21, 21, 40, 32, 142000, timezone(timedelta(hours=1)))
    assert iso_datetime("2024-01-03T17:59:46") == datetime(2024, 1, 3, 17, 59, 46)  # local


def test_the_same_instant_as_the_driver_type() -> None:
    stamp = neo4j.time.DateTime(2023, 5, 6, 7, 8, 9, 123456789, tzinfo=UTC)
    text = stamp.iso_format().replace("+00:00", "Z")  # how Cypher's toString writes UTC
    assert iso_datetime(text) == stamp.to_native()
