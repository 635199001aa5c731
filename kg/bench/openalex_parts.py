"""OpenAlex's snapshot layout on disk: DIR/data/<entity>/updated_date=YYYY-MM-DD/part_NNN.gz
(gzipped JSON lines) and DIR/data/<entity>/manifest (redshift manifest: every part's S3 url,
bytes and records), as in the `openalex` S3 bucket."""

from __future__ import annotations

import gzip
import json
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

LEVEL = 1
"""gzip level: about three times faster than the default for a quarter more bytes."""
CHUNK_BYTES = 1 << 20
"""Lines are compressed a megabyte at a time, in a thread of their own (zlib lets go of the
GIL), while the next megabyte is made."""


class SnapshotParts:
    """One entity's part files, per updated_date partition, rolled every `part_lines` lines."""

    def __init__(self, root: Path, entity: str, part_lines: int) -> None:
        self.root, self.entity, self.part_lines = root, entity, part_lines
        self.open: dict[str, tuple[IO[bytes], gzip.GzipFile, Path]] = {}
        self.lines: dict[str, int] = {}
        self.parts: dict[str, int] = {}
        self.entries: list[dict[str, Any]] = []
        self.buffers: dict[str, list[bytes]] = {}
        self.sizes: dict[str, int] = {}
        self.compressor = ThreadPoolExecutor(1, thread_name_prefix="gzip")
        self.pending: Future[int] | None = None

    def write(self, date: str, record: str) -> None:
        if date not in self.open:
            self._start(date)
        data = record.encode()
        self.buffers[date].append(data)
        self.sizes[date] += len(data)
        self.lines[date] += 1
        if self.sizes[date] >= CHUNK_BYTES:
            self._flush(date)
        if self.lines[date] >= self.part_lines:
            self._finish(date)

    def _flush(self, date: str) -> None:
        """Hand the partition's buffered lines to the compressing thread (one chunk in flight)."""
        chunk = b"\n".join(self.buffers[date]) + b"\n" if self.buffers[date] else b""
        self.buffers[date], self.sizes[date] = [], 0
        self._wait()
        self.pending = self.compressor.submit(self.open[date][1].write, chunk)

    def _wait(self) -> None:
        if self.pending is not None:
            self.pending.result()
            self.pending = None

    def _start(self, date: str) -> None:
        number = self.parts.get(date, 0)
        self.parts[date] = number + 1
        path = self.root / "data" / self.entity / f"updated_date={date}" / f"part_{number:03d}.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = path.open("wb")
        # No name or time in the gzip header, so the same seed gives the same bytes.
        self.open[date] = raw, gzip.GzipFile("", "wb", LEVEL, raw, mtime=0), path
        self.lines[date] = 0
        self.buffers[date], self.sizes[date] = [], 0

    def _finish(self, date: str) -> None:
        self._flush(date)
        self._wait()
        raw, gz, path = self.open.pop(date)
        gz.close()
        raw.close()
        relative = path.relative_to(self.root).as_posix()
        meta = {"content_length": path.stat().st_size, "record_count": self.lines[date]}
        self.entries.append({"url": f"s3://openalex/{relative}", "meta": meta})

    def close(self) -> int:
        """Finish every part and write the manifest; returns the bytes written."""
        for date in sorted(self.open):
            self._finish(date)
        self.compressor.shutdown()
        self.entries.sort(key=lambda e: e["url"])
        total = {
            key: sum(e["meta"][key] for e in self.entries)
            for key in ("content_length", "record_count")
        }
        manifest = self.root / "data" / self.entity / "manifest"
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps({"entries": self.entries, "meta": total}, indent=2))
        return total["content_length"]
