"""The ``captions`` command line, through ``main([...])`` and once through the installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from captions.cli import main

AFP = ("Fishermen unload their catch at the Old Port of Marseille, southern France, on "
       "March 14, 2024. (Photo by Claire DUVAL / AFP)")
REUTERS = ("Traders work on the floor of the stock exchange in Frankfurt, Germany, May 3, 2023. "
           "REUTERS/Anna Keller")


def make_jpeg(path: Path, description: str | None = None) -> Path:
    from captions.api import write_fields

    Image.new("RGB", (40, 30), (120, 80, 60)).save(path, "JPEG", quality=70)
    if description is not None:
        write_fields(path, {"description": description})
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    desk = tmp_path / "desk"
    desk.mkdir()
    make_jpeg(desk / "afp.jpg", AFP)
    make_jpeg(desk / "reuters.jpg", REUTERS)
    (desk / "readme.txt").write_text("not a picture")
    return desk


# --------------------------------------------------------------------------------------------
# parse


def test_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", AFP, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"subject", "date", "location", "agency", "photographer",
                         "photographer_kind", "credit_line", "source", "headline", "warnings"}
    assert data["agency"] == "AFP" and data["date"] == "2024-03-14"


def test_parse_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", REUTERS]) == 0
    out = capsys.readouterr().out
    assert "agency:" in out and "Reuters" in out and "country_code:" in out


def test_parse_reads_stdin(capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(REUTERS))
    assert main(["parse", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["agency"] == "Reuters"


def test_bad_reference_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["parse", AFP, "--reference-date", "last week"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# read / write


def test_read_json_array_with_errors(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = folder / "missing.jpg"
    code = main(["read", "--json", str(folder / "afp.jpg"), str(missing)])
    assert code == 2
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and len(data) == 2
    assert data[0]["path"] == str(folder / "afp.jpg")
    assert data[0]["description"] == AFP and data[0]["format"] == "jpeg"
    assert {"creators", "credit_line", "country_code", "warnings"} <= set(data[0])
    assert set(data[1]) == {"path", "error"} and data[1]["path"] == str(missing)


def test_read_text(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["read", str(folder / "reuters.jpg")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{folder / 'reuters.jpg'} (jpeg)")
    assert "REUTERS/Anna Keller" in out


def test_write_then_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pic = make_jpeg(tmp_path / "p.jpg")
    assert main(["write", str(pic), "--caption", REUTERS]) == 0
    assert "wrote" in capsys.readouterr().out
    assert main(["read", "--json", str(pic)]) == 0
    record = json.loads(capsys.readouterr().out)[0]
    assert record["description"] and "Anna Keller" in record["creators"]
    assert record["date_created"] == "2023-05-03"
    assert [p.name for p in tmp_path.iterdir()] == ["p.jpg"]  # no stray backup


def test_write_error_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert main(["write", str(text), "--caption", AFP]) == 2
    err = capsys.readouterr().err
    assert err.startswith("captions: error:") and err.count("\n") == 1
    assert "Traceback" not in err
    assert text.read_text() == "hello"


# --------------------------------------------------------------------------------------------
# batch


def test_batch_dry_run_then_write_then_nothing(folder: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    before = (folder / "afp.jpg").read_bytes()
    assert main(["batch", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "would change" in captured.out and "(empty) -> " in captured.out
    assert "credit_line:" in captured.out
    assert "Dry run: 2 changed, 0 unchanged, 0 failed" in captured.out
    assert "readme.txt" not in captured.out + captured.err  # skipped quietly
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    assert (folder / "afp.jpg").read_bytes() == before

    assert main(["batch", str(folder), "--write"]) == 0
    assert "Done: 2 changed" in capsys.readouterr().out
    assert main(["batch", str(folder), "--write"]) == 0
    assert "Nothing to change" in capsys.readouterr().out
    assert main(["batch", str(folder)]) == 0


def test_progress_bar_only_on_a_terminal(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    fake = Terminal()
    monkeypatch.setattr(sys, "stderr", fake)
    assert main(["batch", str(folder), "-q"]) == 1
    assert "3/3" in fake.getvalue()  # rich drew the bar on stderr (3 files, one skipped)
    assert "Dry run: 2 changed" in capsys.readouterr().out


def test_batch_failure_exit_2_and_report(folder: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00\x10Exif")
    report = tmp_path / "out.json"
    assert main(["batch", str(folder), "--write", "--report", str(report), "--workers", "2"]) == 2
    captured = capsys.readouterr()
    assert f"captions: error: {folder / 'broken.jpg'}:" in captured.err
    assert "1 failed" in captured.out
    data = json.loads(report.read_text())
    assert [f["status"] for f in data["files"]] == ["changed", "failed", "changed"]


@pytest.mark.parametrize("threads", ["1", "3"])
def test_batch_threads_option(folder: Path, tmp_path: Path, threads: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "out.json"
    assert main(["batch", str(folder), "--write", "--threads", threads, "--report",
                 str(report)]) == 0
    assert [f["status"] for f in json.loads(report.read_text())["files"]] == ["changed",
                                                                             "changed"]
    assert main(["batch", str(folder), "--write", "--threads", threads]) == 0  # idempotent
    assert "0 changed" in capsys.readouterr().out


def test_batch_threads_must_be_a_positive_number(folder: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["batch", str(folder), "--threads", "0"])
    assert exit_info.value.code == 2
    assert "--threads: must be at least 1" in capsys.readouterr().err


def test_batch_bad_config_is_one_line(folder: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "desk.toml"
    config.write_text('policy = "sometimes"\n')
    assert main(["batch", str(folder), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err == f'captions: error: {config}: policy: must be "fill-empty" or "overwrite", ' \
                  f"got 'sometimes'\n"


def test_batch_overwrite_flag_beats_config(folder: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from captions.api import write_fields

    write_fields(folder / "afp.jpg", {"city": "Somewhere else"})
    config = tmp_path / "desk.toml"
    config.write_text('policy = "fill-empty"\nfields = ["city"]\n')
    assert main(["batch", str(folder / "afp.jpg"), "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["batch", str(folder / "afp.jpg"), "--config", str(config),
                 "--overwrite"]) == 1
    assert "Somewhere else -> Marseille" in capsys.readouterr().out


def test_batch_verbose_lists_unchanged(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    make_jpeg(tmp_path / "bare.jpg")  # no description at all
    assert main(["batch", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "bare.jpg" not in out and "1 unchanged" in out and "-v" in out
    assert main(["batch", str(tmp_path), "-v"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bare.jpg'}  [unchanged]" in out
    assert "warning: no description to parse" in out


def test_batch_policy_flags_exclusive(folder: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(folder), "--overwrite", "--fill-empty"])
    assert exc.value.code == 2


def test_installed_script(folder: Path) -> None:
    script = Path(sys.executable).parent / "captions"
    if not script.exists():
        pytest.skip("the captions console script is not installed in this environment")
    done = subprocess.run([str(script), "batch", str(folder)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Dry run: 2 changed" in done.stdout and done.stderr == ""


def test_write_names_the_file_in_errors_and_says_when_nothing_changed(tmp_path, capsys):
    from PIL import Image

    from captions.cli import main

    good = tmp_path / "good.jpg"
    Image.new("RGB", (8, 8)).save(good)
    text = "Traders work in Frankfurt, Germany, May 3, 2023. REUTERS/Anna Keller"
    assert main(["write", str(good), "--caption", text]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {good}")
    assert main(["write", str(good), "--caption", text]) == 0
    assert capsys.readouterr().out.startswith(f"unchanged {good}")
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    assert main(["write", str(bad), "--caption", text]) == 2
    assert f"captions: error: {bad}: not a JPEG" in capsys.readouterr().err
