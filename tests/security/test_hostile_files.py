"""Record files built to exhaust memory are refused before their data is materialised (issue 16,
finding 1), by the CLI, the API's upload and every reader of record files, naming the limit.

Whatever could take memory runs in a subprocess under `prlimit --as` (1 GiB), so that a failure
cannot take the machine down; its peak resident size is read back and bounded."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from finmon.errors import InputError
from finmon.monitoring.accounts import read_accounts
from finmon.screening.inputs import read_customers, read_parties
from finmon.transactions.reader import read_transactions
from finmon.transactions.wire import Rates
from finmon.travel.paxlst import read_paxlst
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.conftest import ROOT
from tests.security.hostile_files import xlsx_bomb

GIB = 1 << 30
BOMB_BYTES = 300 << 20
"""What the bomb's one cell unpacks to: 300 MB from about 300 KB."""
PEAK_LIMIT = 400 << 20
"""Peak resident memory allowed to a refusing process: less than the bomb's cell alone."""
_RUN_AND_MEASURE = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024\n"
    "print('peak', peak, file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


_MEASURED = [sys.executable, "-c", _RUN_AND_MEASURE, "prlimit", f"--as={GIB}", sys.executable]


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        where: xlsx_bomb(folder / f"{where}-bomb.xlsx", BOMB_BYTES, where)
        for where in ("strings", "sheet")
    }


def _finmon(*args: str, env: dict[str, str] | None = None) -> tuple[int, list[str], int]:
    """Run the real CLI under a 1 GiB address-space limit: exit code, stderr lines, peak RSS."""
    done = subprocess.run(
        [*_MEASURED, "-c", "from finmon.cli import main; main()", *args],
        cwd=ROOT,
        env=os.environ | (env or {}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stderr.splitlines()
    peak = int(lines.pop().split()[1])
    return done.returncode, lines, peak


def test_an_xlsx_bomb_is_tiny_on_disk_and_huge_unpacked(bombs: dict[str, Path]) -> None:
    for bomb in bombs.values():
        assert bomb.stat().st_size < 1 << 20
        with zipfile.ZipFile(bomb) as archive:
            assert sum(member.file_size for member in archive.infolist()) > BOMB_BYTES


@pytest.mark.parametrize(
    ("command", "where", "ratio", "limit"),
    [
        ("screen", "strings", None, "FINMON_MAX_COMPRESSION_RATIO"),
        ("screen", "sheet", None, "FINMON_MAX_COMPRESSION_RATIO"),
        # With the ratio bound lifted, the streamed scan of each member still finds the cell.
        ("screen", "sheet", "1000000", "FINMON_MAX_CELL_CHARS"),
        ("customers import", "strings", None, "FINMON_MAX_COMPRESSION_RATIO"),
        ("customers import", "strings", "1000000", "FINMON_MAX_CELL_CHARS"),
    ],
)
def test_an_xlsx_bomb_is_refused_by_the_cli_in_bounded_memory(
    bombs: dict[str, Path], command: str, where: str, ratio: str | None, limit: str
) -> None:
    env = {"FINMON_MAX_COMPRESSION_RATIO": ratio} if ratio else {}
    code, lines, peak = _finmon(*command.split(), str(bombs[where]), env=env)
    assert code == InputError.exit_code, lines
    (line,) = lines
    assert line.startswith(f"error: {bombs[where]}: member xl/")
    assert limit in line and "file refused" in line
    assert "MemoryError" not in line and "Traceback" not in line
    assert peak < PEAK_LIMIT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    (line,) = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(line.split()[1]) * 1024


def test_an_xlsx_bomb_uploaded_to_the_api_fails_its_job_and_the_server_stays_small(
    bombs: dict[str, Path],
) -> None:
    key = make_user("upload.officer", Role.ANALYST)
    headers = {"Authorization": f"Bearer {key}"}
    port = _free_port()
    command = [
        "prlimit",
        f"--as={GIB}",
        sys.executable,
        "-c",
        "from finmon.cli import main; main()",
    ]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(server, base)
        with bombs["strings"].open("rb") as handle:
            started = httpx.post(
                f"{base}/customers/import",
                files={"file": ("bomb.xlsx", handle)},
                headers=headers,
                timeout=60,
            )
        assert started.status_code == 202, started.text
        job = _job_end(base, started.json()["job_id"], headers)
        assert job["status"] == "failed"
        assert job["error"].startswith("bomb.xlsx: member xl/sharedStrings.xml: ")
        assert "FINMON_MAX_COMPRESSION_RATIO" in job["error"]
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert _peak_of(server.pid) < PEAK_LIMIT
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)


def _wait_for(server: subprocess.Popen[str], base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        assert time.monotonic() < deadline, "finmon serve did not answer within 60 s"
        time.sleep(0.2)


def _job_end(base: str, job_id: int, headers: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while True:
        job: dict[str, object] = httpx.get(f"{base}/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.2)


def _message(read: Callable[[Path], object], path: Path) -> str:
    """The InputError reading the file raises (a stream is read to its end)."""
    with pytest.raises(InputError) as refused:
        outcome = read(path)
        if isinstance(outcome, Iterator):
            list(outcome)
    return str(refused.value)


def _refusal(read: Callable[[Path], object], path: Path) -> str:
    message = _message(read, path)
    assert message.startswith(f"{path}: ") and message.endswith("file refused")
    return message


def test_a_csv_cell_of_50_mb_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big-cell.csv"
    with path.open("w") as handle:
        handle.write("id,name\n1,")
        for _ in range(50):
            handle.write("A" * (1 << 20))
        handle.write("\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = _refusal(read_parties, path)
    assert "line 2: a line of more than 1,048,576 characters" in message
    assert "FINMON_MAX_RECORD_CHARS" in message
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    assert grown < 40 << 20


def test_a_csv_cell_spread_over_many_short_lines_is_refused_as_one_record(
    tmp_path: Path,
) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text("id,name\n1," + '"AAAA\nAAAA",' * 200_000 + "x\n")
    message = _refusal(read_parties, path)
    assert "a record of more than 1,048,576 characters" in message
    assert "FINMON_MAX_RECORD_CHARS" in message


def test_a_csv_cell_over_the_cell_limit_is_refused_naming_its_column(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("id,name,notes\n1,Alice,short\n2,Bob," + "x" * 40_000 + "\n")
    message = _refusal(read_customers, path)
    assert "line 3, column notes: a cell of 40,000 characters" in message
    assert "over the limit of 32,767 set by FINMON_MAX_CELL_CHARS" in message


def test_a_csv_with_too_many_columns_is_refused_at_its_header(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{n}" for n in range(5_000)) + ",name\n" + "x," * 5_000 + "Bob\n")
    message = _refusal(read_parties, path)
    assert "line 1: 5,001 columns: over the limit of 1,024 set by FINMON_MAX_COLUMNS" in message


def test_a_jsonl_line_of_many_megabytes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_text(json.dumps({"id": "1", "name": "A" * (5 << 20)}) + "\n")
    message = _refusal(read_parties, path)
    assert "line 1: a line of more than 1,048,576 characters" in message
    assert "FINMON_MAX_RECORD_CHARS" in message


def test_a_jsonl_record_with_too_many_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.jsonl"
    record = {"id": "1", "name": "Bob"} | {f"k{n}": n for n in range(2_000)}
    path.write_text(json.dumps(record) + "\n")
    assert "FINMON_MAX_COLUMNS" in _refusal(read_parties, path)


def test_a_parquet_file_declaring_too_many_rows_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": [str(n) for n in range(2_000)], "name": ["Bob"] * 2_000}), path)
    monkeypatch.setenv("FINMON_MAX_ROWS", "1000")
    message = _refusal(read_parties, path)
    assert "more than 1,000 rows: over the limit of 1,000 set by FINMON_MAX_ROWS" in message


def test_a_parquet_column_chunk_compressed_like_a_bomb_is_refused_from_its_metadata(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ratio.parquet"
    names = pa.array(["A" * 20_000] * 1_000)
    pq.write_table(
        pa.table({"id": [str(n) for n in range(1_000)], "name": names}),
        path,
        use_dictionary=False,
        compression="zstd",
    )
    message = _refusal(read_parties, path)
    assert "row group 1, column name: unpacks" in message
    assert "FINMON_MAX_COMPRESSION_RATIO" in message


def test_a_parquet_column_repeating_one_long_value_is_refused_before_it_is_decoded(
    tmp_path: Path,
) -> None:
    """Dictionary-encoded, 200,000 rows of one 40,000-character name take a few KB on disk and
    8 GB decoded: `finmon screen` refuses it naming the cell limit, in bounded memory."""
    path = tmp_path / "repeated.parquet"
    rows = 200_000
    indices = pa.array([0] * rows, pa.int32())
    names = pa.DictionaryArray.from_arrays(indices, pa.array(["A" * 40_000]))
    pq.write_table(pa.table({"id": pa.array(["1"] * rows), "name": names}), path)
    assert path.stat().st_size < 1 << 20
    code, lines, peak = _finmon("screen", str(path))
    assert code == InputError.exit_code, lines
    (line,) = lines
    assert "row 1, column name: a cell of 40,000 characters" in line
    assert "FINMON_MAX_CELL_CHARS" in line
    assert peak < PEAK_LIMIT


def test_a_parquet_text_column_decoding_past_the_unpacked_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "decoded.parquet"
    pq.write_table(pa.table({"id": ["1"] * 5_000, "name": ["B" * 1_000] * 5_000}), path)
    monkeypatch.setenv("FINMON_MAX_UNPACKED_BYTES", str(1 << 20))
    message = _refusal(read_parties, path)
    assert "its text columns decode to more than 1,048,576 characters" in message
    assert "FINMON_MAX_UNPACKED_BYTES" in message


def test_an_xlsx_member_that_unpacks_to_more_than_it_declares_is_refused(
    tmp_path: Path,
) -> None:
    path = xlsx_bomb(tmp_path / "liar.xlsx", 5 << 20)
    data = bytearray(path.read_bytes())
    name = b"xl/sharedStrings.xml"
    # Declare 1,000 bytes in the central directory, as a file crafted to slip past a check of
    # declared sizes would: the stream must not give more than that.
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = (1_000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    message = _message(read_parties, path)
    assert message.startswith(f"{path}: ")
    assert "Bad CRC-32" in message or "more than the 1,000 bytes it declares" in message


def test_an_xlsx_part_with_a_doctype_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "doctype.xlsx"
    plain = xlsx_bomb(tmp_path / "plain.xlsx", 0)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/sharedStrings.xml":
                data = b'<!DOCTYPE sst [<!ENTITY a "aaaa">]>' + data
            target.writestr(member, data)
    message = _message(read_parties, path)
    assert "member xl/sharedStrings.xml: declares a DOCTYPE" in message


def test_valid_files_at_the_limits_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The file limits alone: a name this long is refused by the name-length limit, lifted here.
    monkeypatch.setenv("FINMON_MAX_NAME_LENGTH", "40000")
    name = "Ж" * 32_767
    csv_path = tmp_path / "edge.csv"
    csv_path.write_text(f"id,name\n1,{name}\n", encoding="utf-8")
    jsonl_path = tmp_path / "edge.jsonl"
    jsonl_path.write_text(json.dumps({"id": "1", "name": name}, ensure_ascii=False) + "\n")
    parquet_path = tmp_path / "edge.parquet"
    pq.write_table(pa.table({"id": ["1"], "name": [name]}), parquet_path)
    xlsx_path = xlsx_bomb(tmp_path / "edge.xlsx", 32_767, fill=b"B")
    for path in (csv_path, jsonl_path, parquet_path):
        (party,) = read_parties(path)
        assert party.names == [name]
    (party,) = read_parties(xlsx_path)
    assert party.names == ["B" * 32_767]


def test_transaction_files_are_held_to_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = "id,timestamp,amount,currency,originator_name\n"
    long_cell = tmp_path / "long.csv"
    long_cell.write_text(header + "t1,2026-01-01,10,KZT," + "x" * 40_000 + "\n")
    message = _message(read_transactions, long_cell)
    assert "line 2, column originator_name: a cell of 40,000 characters" in message
    rows = tmp_path / "rows.parquet"
    ids = [f"t{n}" for n in range(50)]
    pq.write_table(
        pa.table(
            {
                "id": ids,
                "timestamp": ["2026-01-01"] * 50,
                "amount": ["1"] * 50,
                "currency": ["KZT"] * 50,
            }
        ),
        rows,
    )
    assert len(read_transactions(rows)) == 50
    monkeypatch.setenv("FINMON_MAX_ROWS", "49")
    assert "FINMON_MAX_ROWS" in _message(read_transactions, rows)
    monkeypatch.setenv("FINMON_MAX_DOCUMENT_BYTES", "100")
    for name, text in (
        ("payments.xml", "<Document>" + " " * 200 + "</Document>"),
        ("payments.mt103", ":20:REF1\n:32A:260101KZT10,\n" + ":70:" + "x" * 200 + "\n"),
        ("payments.csv", header + "t1,2026-01-01,10,KZT," + "x" * 200 + "\n"),
    ):
        path = tmp_path / name
        path.write_text(text)
        message = _message(read_transactions, path)
        assert "over the limit of 100 set by FINMON_MAX_DOCUMENT_BYTES" in message, name


def test_manifests_rates_and_accounts_are_held_to_the_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account,segment\nKZ1," + "r" * 40_000 + "\n")
    message = _message(read_accounts, accounts)
    assert "line 2, column #2: a cell of 40,000 characters" in message
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,usd\n" + "KZT,0.002\n" * 100)
    assert Rates.read(rates).per_unit["KZT"]
    manifest = tmp_path / "manifest.edi"
    manifest.write_text("UNA:+.? '" + "UNH+1+PAXLST:D:05B:UN:IATA'" * 100)
    monkeypatch.setenv("FINMON_MAX_FILE_BYTES", "500")
    monkeypatch.setenv("FINMON_MAX_DOCUMENT_BYTES", "500")
    assert "FINMON_MAX_FILE_BYTES" in _message(Rates.read, rates)
    message = _message(read_paxlst, manifest)
    assert "FINMON_MAX_DOCUMENT_BYTES" in message


def test_a_pacs008_nested_past_libxml2s_depth_bound_is_refused(tmp_path: Path) -> None:
    """Held before issue 16 and must keep holding: huge_tree stays off, so libxml2 stops at a
    depth of 256 instead of building the tree."""
    path = tmp_path / "deep.xml"
    namespace = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09"
    path.write_text(f'<Document xmlns="{namespace}">' + "<a>" * 20_000 + "</a>" * 20_000)
    assert "Excessive depth" in _message(read_transactions, path)
