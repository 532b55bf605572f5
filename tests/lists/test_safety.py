"""Hostile, malformed and wrongly encoded XML is refused quickly, with the place, and never read."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.lists import FIXTURE_DIR, parse_files
from tests.conftest import shared_file

LIST_BODY = (
    "<CONSOLIDATED_LIST dateGenerated='2024-01-01T00:00:00Z'><INDIVIDUALS><INDIVIDUAL>"
    "<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER><FIRST_NAME>{name}</FIRST_NAME>"
    "</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"
)
BILLION_LAUGHS = "\n".join(
    ['<?xml version="1.0"?>', "<!DOCTYPE CONSOLIDATED_LIST [", ' <!ENTITY lol0 "lol">']
    + [f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    + ["]>", LIST_BODY.format(name="&lol9;")]
)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket on 127.0.0.1 that records whether anything tried to connect."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.setblocking(False)
    yield sock
    sock.close()


def _nobody_connected(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return True
    connection.close()
    return False


def _refused_quickly(path: Path, fmt: str | None = None) -> InputError:
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        parse_files([path], format=fmt)
    assert time.perf_counter() - started < 2.0
    return caught.value


def test_file_entity_is_refused_and_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        + LIST_BODY.format(name="&xxe;")
    )
    error = _refused_quickly(path)
    assert "DOCTYPE" in str(error)
    assert str(path) in str(error)
    assert "TOP-SECRET" not in str(error)


def test_http_entity_is_refused_without_touching_the_network(
    tmp_path: Path, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    path = tmp_path / "remote.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY remote SYSTEM '
        f'"http://127.0.0.1:{port}/entity">]>\n' + LIST_BODY.format(name="&remote;")
    )
    _refused_quickly(path)
    assert _nobody_connected(listener)


def test_parameter_entity_and_external_dtd_are_refused_offline(
    tmp_path: Path, listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    parameter = tmp_path / "parameter.xml"
    parameter.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY % p SYSTEM '
        f'"http://127.0.0.1:{port}/p.dtd"> %p;]>\n' + LIST_BODY.format(name="X")
    )
    external = tmp_path / "external.xml"
    external.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:{port}/x.dtd">\n'
        + LIST_BODY.format(name="X")
    )
    _refused_quickly(parameter, "un-xml")
    _refused_quickly(external, "un-xml")
    assert _nobody_connected(listener)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_text(BILLION_LAUGHS)
    assert "DOCTYPE" in str(_refused_quickly(path))


def test_hostile_afm_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "afm.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE list [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<list><person><fname>&x;</fname><lname>A</lname></person></list>"
    )
    assert "DOCTYPE" in str(_refused_quickly(path, "afm-xml"))


def test_doctype_without_entities_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "plain-doctype.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST>\n' + LIST_BODY.format(name="X Y")
    )
    assert parse_files([path]).designations[0].caption == "X Y"


def test_encoding_damaged_un_file_is_refused_with_line_and_byte_offset() -> None:
    path = shared_file("lists/un_consolidated_2025-08-16_encoding-damaged.xml")
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
    line = data.count(b"\n", 0, offset) + 1
    with pytest.raises(InputError) as caught:
        parse_files([path])
    message = str(caught.value)
    assert f"{path}:{line}:" in message
    assert f"byte offset {offset}" in message
    assert "not valid utf-8" in message


def test_bad_byte_after_a_long_valid_prefix_is_found(tmp_path: Path) -> None:
    path = tmp_path / "late.xml"
    padding = "<!-- " + "é" * 700_000 + " -->\n"  # straddles the reader's 1 MiB chunks
    path.write_bytes(
        (f'<?xml version="1.0" encoding="UTF-8"?>\n{padding}').encode()
        + LIST_BODY.format(name="A\xe9B").encode("latin-1")
    )
    offset = len(f'<?xml version="1.0" encoding="UTF-8"?>\n{padding}'.encode()) + len(
        LIST_BODY.split("{name}")[0].encode() + b"A"
    )
    with pytest.raises(InputError, match=rf"late\.xml:3: byte offset {offset}:"):
        parse_files([path], format="un-xml")


def test_correctly_declared_other_encoding_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        + LIST_BODY.format(name="Jos\xe9 Ram\xedrez").encode("latin-1")
    )
    assert parse_files([path]).designations[0].caption == "José Ramírez"


def test_unknown_declared_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.xml"
    path.write_text('<?xml version="1.0" encoding="x-no-such"?>\n' + LIST_BODY.format(name="A"))
    with pytest.raises(InputError, match="unknown encoding"):
        parse_files([path], format="un-xml")


def test_truncated_xml_names_file_line_and_column(tmp_path: Path) -> None:
    source = (FIXTURE_DIR / "un_list_fixture.xml").read_text(encoding="utf-8")
    path = tmp_path / "truncated.xml"
    path.write_text(source[: len(source) // 2], encoding="utf-8")
    with pytest.raises(InputError, match=r"truncated\.xml:\d+:\d+: malformed XML"):
        parse_files([path])


def test_mismatched_tag_is_reported_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(
        "<CONSOLIDATED_LIST dateGenerated='2024-01-01T00:00:00Z'>\n<INDIVIDUALS>\n"
        "<INDIVIDUAL><FIRST_NAME>A</SECOND_NAME></INDIVIDUAL>\n</INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(InputError, match=r"broken\.xml:3:\d+: malformed XML"):
        parse_files([path])


def test_failure_midway_returns_nothing(tmp_path: Path) -> None:
    good = FIXTURE_DIR / "un_list_fixture.xml"
    path = tmp_path / "half.xml"
    shutil.copy(good, path)
    text = path.read_text(encoding="utf-8").replace("</ENTITIES>", "</ENTITIES><BROKEN>")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        parse_files([path])


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        parse_files([tmp_path / "absent.xml"])


def test_entities_are_refused_in_utf16_too(tmp_path: Path) -> None:
    # The raw-byte screen cannot see UTF-16 text; the parser-level check must catch it.
    path = tmp_path / "utf16.xml"
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n'
        '<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + LIST_BODY.format(name="&xxe;")
    )
    path.write_bytes(text.encode("utf-16"))
    assert "DOCTYPE" in str(_refused_quickly(path, "un-xml"))
