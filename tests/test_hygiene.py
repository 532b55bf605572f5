"""The input hygiene every door shares."""

from __future__ import annotations

import pytest

from finmon.errors import InputError
from finmon.hygiene import NUL_REFUSED, refuse_nul


def test_a_nul_character_is_refused_naming_the_place_as_the_caller_asks() -> None:
    assert refuse_nul("Карагулов\tТимур") == "Карагулов\tТимур"
    with pytest.raises(InputError, match=f"^reason: {NUL_REFUSED}$"):
        refuse_nul("see\x00file", "reason")
    with pytest.raises(InputError, match=f"^{NUL_REFUSED}$"):
        refuse_nul("\x00")
    with pytest.raises(ValueError, match=f"^{NUL_REFUSED}$"):
        refuse_nul("a\x00", error=ValueError)
