"""Writing outputs when disks fail (issue 13, cases 11-13): checked before reading, one line, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from typer.testing import CliRunner

import main

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
NOTE = SAMPLES / "night-trains-alps.md"


def run(*args: str):
    result = CliRunner().invoke(main.app, list(args), env=ENV)
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".newsexport-"))


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB tmpfs, or a skip where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


# -- 11. outputs are checked before reading, every failure is one line --------------------------------
def test_output_that_is_a_directory_is_refused_before_reading(tmp_path):
    (tmp_path / "out.epub").mkdir()
    result = run("export", str(tmp_path / "missing.md"), "-o", str(tmp_path / "out.epub"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}/out.epub: is a directory\n"  # the missing input was never looked at


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path):
    source = tmp_path / "feed.json"
    source.write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [{"title": "A", "content_text": "B"}]}')
    before = source.read_bytes()
    result = run("export", str(source), "-o", str(source))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {source}: is one of the inputs; choose another output file\n"
    (tmp_path / "more").mkdir()
    inside = tmp_path / "more" / "old.json"
    inside.write_bytes(before)
    from_folder = run("export", str(tmp_path / "more"), "-o", str(inside))
    assert from_folder.stderr == f"Error: {inside}: is one of the inputs; choose another output file\n"
    assert source.read_bytes() == before and inside.read_bytes() == before


def test_output_that_is_a_device_or_under_a_file_is_refused(tmp_path):
    (tmp_path / "plain").write_text("x")
    under_file = run("export", str(NOTE), "-o", str(tmp_path / "plain" / "b.epub"))
    assert (under_file.exit_code, under_file.stderr) == (
        1,
        f"Error: {tmp_path}/plain/b.epub: {tmp_path}/plain is not a directory\n",
    )
    device = run("export", str(NOTE), "-o", "/dev/null", "-t", "epub")
    assert (device.exit_code, device.stderr) == (
        1,
        "Error: /dev/null: is not a regular file (write to stdout with -o -)\n",
    )


def test_read_only_folder_is_refused_before_reading(tmp_path, small_disk):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("export", str(tmp_path / "missing.md"), "-o", str(small_disk / "b.epub"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {small_disk}/b.epub: cannot write in {small_disk} (Read-only file system)\n"


def test_full_disk_is_one_line_and_leaves_nothing(small_disk):
    out = small_disk / "b.pdf"
    result = run("export", str(SAMPLES / "cafe-four-day-week.html"), str(NOTE), "-o", str(out), "-q")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: No space left on device\n"
    assert list(small_disk.iterdir()) == []


def test_a_paged_feed_on_a_full_disk_leaves_none_of_its_pages(tmp_path, small_disk):
    text = "Harbour workers voted on Tuesday to accept the new contract after a long night of talks. " * 12
    items = [{"id": f"n{n}", "title": f"Item {n}", "content_text": text} for n in range(120)]
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": items}))
    (small_disk / "big.json").write_text("the feed of last week\n")
    out = small_disk / "big.json"
    result = run("export", str(feed), "-o", str(out), "--site-url", "https://e.example/", "--page-size", "10", "-q")
    assert (result.exit_code, result.stderr.count("\n")) == (1, 1)
    assert result.stderr.startswith(f"Error: {small_disk}/big-") and result.stderr.endswith(
        ": No space left on device\n"
    )
    assert sorted(p.name for p in small_disk.iterdir()) == ["big.json"]
    assert out.read_text() == "the feed of last week\n"


@pytest.mark.parametrize(
    "command",
    [
        ["inspect", str(NOTE), "--json"],
        ["export", str(NOTE), "-t", "rss", "--site-url", "https://x.example/", "-o", "-"],
    ],
)
def test_stdout_to_a_full_disk_is_an_error(command):
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "main.py", *command],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            env={**os.environ, **ENV},
        )
    assert done.returncode == 1
    assert done.stderr.decode().splitlines()[-1:] == ["Error: stdout: No space left on device"]
    assert "Traceback" not in done.stderr.decode()


# -- 12. SIGTERM removes the temporary file ------------------------------------------------------------
def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "b.epub"
    # The real CLI, with a SIGTERM arriving while the temporary file is being written.
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        real_fsync = os.fsync
        def fsync(fd):
            names = sorted(os.listdir({str(tmp_path)!r}))
            print("temp:", *names, file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
            real_fsync(fd)
        os.fsync = fsync
        sys.argv = ["newsexport", "export", {str(NOTE)!r}, "-o", {str(out)!r}, "-q"]
        from exporters.cli import run
        run()
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, env={**os.environ, **ENV})
    assert done.returncode == 128 + signal.SIGTERM
    [line] = done.stderr.decode().splitlines()
    name = line.removeprefix("temp: ")
    assert name.startswith(".newsexport-") and name.endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


# -- 13. permissions -------------------------------------------------------------------------------------
def test_replaced_file_keeps_its_mode_and_new_files_honour_the_umask(tmp_path):
    kept = tmp_path / "kept.epub"
    kept.write_bytes(b"old")
    kept.chmod(0o600)
    assert run("export", str(NOTE), "-o", str(kept), "-q").exit_code == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_bytes() != b"old"
    old = os.umask(0o077)
    try:
        assert run("export", str(NOTE), "-o", str(tmp_path / "new.epub"), "-q").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.epub").stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []
