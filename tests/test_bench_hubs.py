"""`kg bench hubs` on the test graph: real requests through the schema, figures printed."""

from __future__ import annotations

from kg.bench import hubs


def test_hubs_are_the_most_prolific_and_every_request_is_timed(load_snapshot, settings):
    load_snapshot("collab")
    chosen, median, usual, latest = hubs.pick(settings, min_works=4, hubs=2)
    assert [n for _, n in chosen] == sorted((n for _, n in chosen), reverse=True)
    assert chosen[0] == ("ann-lee", 5) and median < chosen[-1][1]
    assert len(usual) == len(chosen) and latest == 2023

    measured = hubs.measure(settings, min_works=4, hubs=2, rounds=1)
    assert [f.name.split(",")[0].split("(")[0] for f in measured.figures] == [
        "closeCollaboratorCount",
        "context",
        "profile page ",
        "explorer's graph with edge years",
        "connection to the next one",
    ]
    assert all(f.hubs_ms > 0 and f.median_ms > 0 for f in measured.figures)
    text = measured.summary()
    assert "against researchers with the median" in text and "windows from 2021" in text
