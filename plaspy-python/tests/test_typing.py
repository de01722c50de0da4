"""The stubs and annotations: mypy --strict accepts a real program and refuses a float
used as a string (mypy must be installed: .ci/python-tests installs it)."""

from __future__ import annotations

from pathlib import Path

from mypy import api

SAMPLES = Path(__file__).parent / "samples"


def test_mypy_strict_accepts_the_done_when_program() -> None:
    out, err, status = api.run(["--strict", "--no-incremental", str(SAMPLES / "done_when.py")])
    assert status == 0, out + err


def test_mypy_strict_flags_a_float_used_as_a_string() -> None:
    out, err, status = api.run(
        ["--strict", "--no-incremental", str(SAMPLES / "bad_float_as_str.py")]
    )
    assert status == 1, out + err
    assert 'incompatible type "float"; expected "str"' in out, out
    assert "bad_float_as_str.py:15" in out, out
