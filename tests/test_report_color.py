"""use_color: NO_COLOR beats FORCE_COLOR beats TERM=dumb beats isatty; real pty and pipe streams."""

from __future__ import annotations

import io
import os
import pty

import pytest

from schemacheck.report import use_color


@pytest.fixture
def tty():
    """A real terminal stream (pseudo-terminal), closed afterwards."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "w")
    yield stream
    stream.close()
    os.close(master)


@pytest.fixture
def pipe():
    """A real non-terminal stream (pipe)."""
    read_fd, write_fd = os.pipe()
    stream = os.fdopen(write_fd, "w")
    yield stream
    stream.close()
    os.close(read_fd)


def test_terminal_gets_colour(tty) -> None:
    assert use_color(tty, {}) is True


def test_pipe_and_stringio_get_none(pipe) -> None:
    assert use_color(pipe, {}) is False
    assert use_color(io.StringIO(), {}) is False
    assert use_color(None, {}) is False


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_no_color_wins_everywhere(tty, value: str) -> None:
    assert use_color(tty, {"NO_COLOR": value}) is False
    assert use_color(tty, {"NO_COLOR": value, "FORCE_COLOR": "1"}) is False


def test_empty_no_color_is_ignored(tty) -> None:
    assert use_color(tty, {"NO_COLOR": ""}) is True


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("", True), ("3", True), ("0", False), ("false", False), ("off", False)])
def test_force_color_on_a_pipe(pipe, value: str, expected: bool) -> None:
    assert use_color(pipe, {"FORCE_COLOR": value}) is expected


def test_force_color_zero_disables_on_a_terminal(tty) -> None:
    assert use_color(tty, {"FORCE_COLOR": "0"}) is False


def test_dumb_terminal(tty) -> None:
    assert use_color(tty, {"TERM": "dumb"}) is False
    assert use_color(tty, {"TERM": "dumb", "FORCE_COLOR": "1"}) is True


def test_closed_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    stream.close()
    assert use_color(stream, {}) is False
