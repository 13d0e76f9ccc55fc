"""The photo-desk batch: planning, per-file isolation, policies, reports, workers, file walking.

Images are built in each test (Pillow pixels, caption written with our own writer) so the tests
do not depend on the committed sample images.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from captions import Caption, CaptionsError, ImageMetadata, Location, PartialDate
from captions.batch import (
    BatchOptions,
    FileResult,
    Summary,
    iter_files,
    ordered_map,
    plan_changes,
    proposed_values,
    run_batch,
    sniff_format,
)
from captions.api import TEMP_MARK
from captions.config import HouseStyle, house_style_from_mapping, load_config

AFP = ("Fishermen unload their catch at the Old Port of Marseille, southern France, on "
       "March 14, 2024. (Photo by Claire DUVAL / AFP)")
REUTERS = ("Traders work on the floor of the stock exchange in Frankfurt, Germany, May 3, 2023. "
           "REUTERS/Anna Keller")
AP = ("Marchers carry a banner during a parade in Chicago, Saturday, June 29, 2024. "
      "(AP Photo/Daniel Brooks)")


# --------------------------------------------------------------------------------------------
# helpers


def make_jpeg(path: Path, description: str | None, colour: tuple[int, int, int] = (90, 120, 160)
              ) -> Path:
    """A small JPEG whose description is ``description`` (written with our writer)."""
    from captions.api import write_fields

    Image.new("RGB", (48, 32), colour).save(path, "JPEG", quality=70)
    if description is not None:
        write_fields(path, {"description": description})
    return path


def read(path: Path) -> ImageMetadata:
    from captions.api import read_metadata

    return read_metadata(path)


def run(paths: list[Path], **kw: object) -> tuple[Summary, list[FileResult]]:
    results: list[FileResult] = []
    options = BatchOptions(**{k: v for k, v in kw.items() if k != "workers"})  # type: ignore[arg-type]
    summary = run_batch(paths, options, workers=int(kw.get("workers", 1)),  # type: ignore[call-overload]
                        on_result=results.append)
    return summary, results


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A folder of three captioned JPEGs, one in a subfolder."""
    folder = tmp_path / "desk"
    (folder / "sub").mkdir(parents=True)
    make_jpeg(folder / "a_afp.jpg", AFP)
    make_jpeg(folder / "b_reuters.jpg", REUTERS, (200, 80, 40))
    make_jpeg(folder / "sub" / "c_ap.jpg", AP, (20, 160, 90))
    return folder


# --------------------------------------------------------------------------------------------
# planning (pure)


def caption(**kw: object) -> Caption:
    base: dict[str, object] = dict(
        text="t", subject="Fishermen unload their catch.", date=PartialDate(2024, 3, 14),
        location=Location(city="Marseille", country="France", country_code="FRA"),
        agency="AFP", photographer="Claire Duval", photographer_kind="person",
        credit_line="Claire Duval/AFP", source="AFP",
    )
    base.update(kw)
    return Caption(**base)  # type: ignore[arg-type]


def test_plan_fills_empty_fields_only_by_default() -> None:
    meta = ImageMetadata(format="jpeg", description="t", city="MARSEILLE", creators=["C. Duval"])
    changes = plan_changes(meta, caption(), HouseStyle())
    assert "city" not in changes and "creators" not in changes  # the editor's values stay
    assert changes["credit_line"] == (None, "Claire Duval/AFP")
    assert changes["date_created"] == (None, "2024-03-14")
    assert changes["country_code"] == (None, "FRA")
    assert "description" not in changes  # description kept as the agency sent it


def test_plan_overwrite_replaces_differing_values() -> None:
    meta = ImageMetadata(format="jpeg", description="t", city="MARSEILLE", creators=["C. Duval"],
                         source="AFP")
    changes = plan_changes(meta, caption(), HouseStyle(policy="overwrite"))
    assert changes["city"] == ("MARSEILLE", "Marseille")
    assert changes["creators"] == (["C. Duval"], ["Claire Duval"])
    assert "source" not in changes  # same value: no change


def test_plan_never_removes_and_keeps_a_more_precise_date() -> None:
    meta = ImageMetadata(format="jpeg", description="t", region="Provence",
                         date_created="2024-03-14T09:30:00+01:00")
    changes = plan_changes(meta, caption(), HouseStyle(policy="overwrite"))
    assert "region" not in changes  # caption says nothing of the region: the value stays
    assert "date_created" not in changes  # 2024-03-14T09:30 already says 2024-03-14


def test_plan_honours_fields_and_description_policy() -> None:
    style = HouseStyle(fields=("city",), description="subject")
    changes = plan_changes(ImageMetadata(format="jpeg", description="t"), caption(), style)
    assert set(changes) == {"city", "description"}
    assert changes["description"] == ("t", "Fishermen unload their catch.")


def test_credit_template_per_agency() -> None:
    style = house_style_from_mapping({"credit_line": {
        "afp": "{agency}/{photographer}", "default": "{source} via desk"}})
    assert proposed_values(caption(), style)["credit_line"] == "AFP/Claire Duval"
    assert proposed_values(caption(agency="Xinhua", source="Xinhua"), style)["credit_line"] == (
        "Xinhua via desk")
    # a template needing what the caption lacks falls back to the parsed credit line
    no_name = caption(photographer=None, photographer_kind=None, credit_line="AFP")
    assert proposed_values(no_name, style)["credit_line"] == "AFP"


def test_sniff_format() -> None:
    assert sniff_format(b"\xff\xd8\xff\xe0") == "jpeg"
    assert sniff_format(b"MM\x00*\x00\x00\x00\x08") == "tiff"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_format(b"GIF89a") is None


# --------------------------------------------------------------------------------------------
# config


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_config_example_in_docs_loads() -> None:
    example = Path(__file__).resolve().parents[1] / "docs" / "config-example.toml"
    style = load_config(example)
    assert style.policy in ("fill-empty", "overwrite")
    assert style.credit_template("AFP") is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('policy = "clobber"', r"desk\.toml: policy: must be \"fill-empty\" or \"overwrite\""),
        ('fields = ["city", "colour"]', r"fields: unknown field 'colour'"),
        ("fields = \"city\"", r"fields: expected an array of field names, got a string"),
        ('feilds = ["city"]', r"unknown key 'feilds'"),
        ('reference_date = "yesterday"', r"reference_date: must be \"none\", \"file-mtime\""),
        ('description = "rewrite"', r"description: must be \"keep\" or \"subject\""),
        ('[credit_line]\nAFP = "{name}/AFP"', r"credit_line\.afp: unknown placeholder \{name\}"),
        ('[credit_line]\nAFP = "{photographer/AFP"', r"credit_line\.afp: not a valid template"),
        ("[credit_line]\nAFP = 3", r"credit_line\.AFP: expected a template string, got an integer"),
        ("policy = ", r"desk\.toml: not valid TOML"),
    ],
)
def test_config_errors_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CaptionsError, match=message):
        load_config(write_config(tmp_path, text))


def test_config_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaptionsError, match="cannot read config"):
        load_config(tmp_path / "nope.toml")


def test_config_values_are_used(tmp_path: Path) -> None:
    style = load_config(write_config(tmp_path, """
fields = ["city", "credit_line"]
policy = "overwrite"
reference_date = 2024-06-01
[credit_line]
Reuters = "{agency}/{photographer}"
"""))
    assert style.fields == ("city", "credit_line")
    assert style.policy == "overwrite"
    assert str(style.fixed_reference_date) == "2024-06-01"
    assert style.credit_template("REUTERS") == "{agency}/{photographer}"
    assert style.credit_template("AFP") is None


# --------------------------------------------------------------------------------------------
# runs over real files


def test_dry_run_lists_changes_and_writes_nothing(desk: Path) -> None:
    before = {p: p.read_bytes() for p in desk.rglob("*.jpg")}
    summary, results = run([desk])
    assert [Path(r.path).name for r in results] == ["a_afp.jpg", "b_reuters.jpg", "c_ap.jpg"]
    assert all(r.status == "changed" for r in results)
    afp = results[0].changes
    assert afp["credit_line"][0] is None and "AFP" in str(afp["credit_line"][1])
    assert afp["date_created"] == (None, "2024-03-14")
    assert summary.exit_code == 1 and summary.changed == 3
    assert {p: p.read_bytes() for p in desk.rglob("*.jpg")} == before


def test_write_applies_and_second_run_is_unchanged(desk: Path) -> None:
    summary, results = run([desk], write=True)
    assert summary.exit_code == 0 and summary.changed == 3
    meta = read(desk / "b_reuters.jpg")
    planned = results[1].changes
    for field, (_, new) in planned.items():
        assert meta.to_dict()[field] == new
    assert meta.description == REUTERS  # left as the agency sent it
    again, results2 = run([desk], write=True)
    assert again.changed == 0 and again.unchanged == 3 and again.exit_code == 0
    assert all(not r.changes for r in results2)
    dry, _ = run([desk])
    assert dry.exit_code == 0  # nothing pending after the write


def test_corrupt_file_fails_alone(desk: Path) -> None:
    bad = desk / "b_reuters.jpg"
    data = bad.read_bytes()
    bad.write_bytes(data[:40])  # a JPEG cut short
    cut = bad.read_bytes()
    (desk / "notes.jpg").write_bytes(b"this is not a picture")  # named like one
    summary, results = run([desk], write=True)
    by_name = {Path(r.path).name: r for r in results}
    assert by_name["b_reuters.jpg"].status == "failed" and by_name["b_reuters.jpg"].error
    assert by_name["notes.jpg"].status == "failed"
    assert by_name["a_afp.jpg"].status == "changed" and by_name["c_ap.jpg"].status == "changed"
    assert summary.failed == 2 and summary.exit_code == 2
    assert bad.read_bytes() == cut  # untouched


def test_unwritable_file_fails_alone(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import captions.api

    real = captions.api.write_fields

    def refuse_one(path: Path, values: object, **kw: object) -> list[str]:
        if Path(path).name == "b_reuters.jpg":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, values, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(captions.api, "write_fields", refuse_one)
    summary, results = run([desk], write=True)
    assert [r.status for r in results] == ["changed", "failed", "changed"]
    assert "Permission denied" in (results[1].error or "")
    assert summary.exit_code == 2
    assert read(desk / "b_reuters.jpg").credit_line is None
    assert read(desk / "a_afp.jpg").credit_line


def test_non_images_are_skipped_quietly(desk: Path, tmp_path: Path) -> None:
    (desk / "README.txt").write_text("wire notes")
    (desk / "sub" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (desk / "._a_afp.jpg").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    report = tmp_path / "r.json"
    results: list[FileResult] = []
    summary = run_batch([desk], BatchOptions(), report=report, on_result=results.append)
    assert summary.skipped == 3 and summary.failed == 0 and summary.files == 3
    data = json.loads(report.read_text())
    assert [Path(f["path"]).name for f in data["files"]] == ["a_afp.jpg", "b_reuters.jpg",
                                                             "c_ap.jpg"]


def test_picture_without_description(tmp_path: Path) -> None:
    make_jpeg(tmp_path / "bare.jpg", None)
    summary, results = run([tmp_path])
    assert results[0].status == "unchanged"
    assert any("no description" in w for w in results[0].warnings)
    assert summary.exit_code == 0


def test_symlinks_and_hidden_folders_inside_folders_are_not_followed(desk: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    make_jpeg(outside / "elsewhere.jpg", AFP)
    (desk / "link_dir").symlink_to(outside, target_is_directory=True)
    (desk / "link_file.jpg").symlink_to(outside / "elsewhere.jpg")
    (desk / ".thumbnails").mkdir()
    make_jpeg(desk / ".thumbnails" / "a_afp.jpg", AFP)
    names = [p.name for p in iter_files([desk])]
    assert names == ["a_afp.jpg", "b_reuters.jpg", "c_ap.jpg"]  # no links, no hidden folders
    assert [p.name for p in iter_files([desk / ".thumbnails"])] == ["a_afp.jpg"]  # named: walked
    # a link named on the command line is the user's choice: followed
    assert [p.name for p in iter_files([desk / "link_file.jpg"])] == ["link_file.jpg"]
    summary, _ = run([desk], write=True)
    assert summary.changed == 3
    assert read(outside / "elsewhere.jpg").credit_line is None  # untouched


def test_fill_empty_keeps_editor_values_overwrite_replaces(tmp_path: Path) -> None:
    from captions.api import write_fields

    pic = make_jpeg(tmp_path / "p.jpg", AFP)
    write_fields(pic, {"city": "Marseilles (old port)", "credit_line": "Desk/AFP"})
    _, results = run([pic])
    assert "city" not in results[0].changes and "credit_line" not in results[0].changes
    assert "date_created" in results[0].changes
    _, results = run([pic], style=HouseStyle(policy="overwrite"))
    assert results[0].changes["city"][0] == "Marseilles (old port)"
    assert results[0].changes["credit_line"][0] == "Desk/AFP"


def test_description_policy_subject_is_idempotent(tmp_path: Path) -> None:
    pic = make_jpeg(tmp_path / "p.jpg", REUTERS)
    style = HouseStyle(description="subject")
    summary, results = run([pic], style=style, write=True)
    new_description = read(pic).description or ""
    assert "REUTERS" not in new_description and new_description.startswith("Traders work")
    assert results[0].changes["description"][0] == REUTERS
    again, _ = run([pic], style=style, write=True)
    assert again.changed == 0


def test_workers_give_same_results_in_same_order(tmp_path: Path) -> None:
    texts = [AFP, REUTERS, AP]
    for i in range(21):
        make_jpeg(tmp_path / f"{i:02d}.jpg", texts[i % 3], (i * 10, 50, 100))
    (tmp_path / "07.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00")  # corrupt one in the middle
    _, one = run([tmp_path], workers=1)
    _, two = run([tmp_path], workers=2)
    assert [r.to_dict() for r in two] == [r.to_dict() for r in one]
    assert [Path(r.path).name for r in one] == [f"{i:02d}.jpg" for i in range(21)]
    assert one[7].status == "failed"


@pytest.mark.parametrize("workers", [1, 2])
def test_writer_threads_give_the_same_files_and_results_in_order(tmp_path: Path,
                                                                 workers: int) -> None:
    texts = [AFP, REUTERS, AP]
    for name in ("one", "threads"):
        (tmp_path / name).mkdir()
        for i in range(21):
            make_jpeg(tmp_path / name / f"{i:02d}.jpg", texts[i % 3], (i * 10, 50, 100))
        (tmp_path / name / "07.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00")  # corrupt, mid-run
    _, one = run([tmp_path / "one"], write=True, threads=1)
    _, many = run([tmp_path / "threads"], write=True, threads=4, workers=workers)
    assert [Path(r.path).name for r in many] == [f"{i:02d}.jpg" for i in range(21)]
    assert ([(Path(r.path).name, r.status, r.changes, r.warnings, r.error is None) for r in many]
            == [(Path(r.path).name, r.status, r.changes, r.warnings, r.error is None)
                for r in one])
    assert many[7].status == "failed" and many[0].status == "changed"
    for i in range(21):
        name = f"{i:02d}.jpg"
        assert (tmp_path / "threads" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    assert not [p for p in (tmp_path / "threads").iterdir() if TEMP_MARK in p.name]


def test_ordered_map_keeps_order_bounds_work_in_flight_and_cancels_on_stop() -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    started: list[int] = []
    lock = threading.Lock()

    def slow(i: int) -> int:
        with lock:
            started.append(i)
        time.sleep(0.002 * (i % 3))  # later items often finish first
        return i * i

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(ordered_map(pool, slow, range(50), 6)) == [i * i for i in range(50)]

    consumed = 0

    def lazy_items():  # type: ignore[no-untyped-def]
        for i in range(1000):
            # never more than ``limit`` submitted ahead of what the consumer took
            assert i - consumed <= 6
            yield i

    started.clear()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = ordered_map(pool, slow, lazy_items(), 6)
        for value in results:
            consumed += 1
            if consumed == 10:
                break
        results.close()  # the consumer stops: what was not started is cancelled
    assert value == 81
    assert len(started) < 20


def test_threads_must_be_positive(desk: Path) -> None:
    with pytest.raises(CaptionsError, match="threads"):
        run([desk], write=True, threads=0)


def test_backup_keeps_original(tmp_path: Path) -> None:
    pic = make_jpeg(tmp_path / "p.jpg", AP)
    original = pic.read_bytes()
    run([pic], write=True, backup=True)
    others = [p for p in tmp_path.iterdir() if p != pic]
    assert len(others) == 1 and others[0].read_bytes() == original
    # the backup is a JPEG too, but never processed again
    again, results = run([tmp_path], write=True)
    assert [Path(r.path).name for r in results] == ["p.jpg"] and again.changed == 0


def test_reference_date_file_mtime(tmp_path: Path) -> None:
    text = ("Firefighters battle a blaze at a warehouse in Lyon, France, on Thursday. "
            "(Photo by Claire DUVAL / AFP)")
    pic = make_jpeg(tmp_path / "p.jpg", text)
    os.utime(pic, (1717236000, 1717236000))  # 2024-06-01 10:00 UTC, a Saturday
    _, fixed = run([pic], reference_date=__import__("datetime").date(2024, 6, 1))
    _, mtime = run([pic], style=HouseStyle(reference_date="file-mtime"))
    _, none = run([pic])
    assert fixed[0].changes == mtime[0].changes
    if "date_created" not in fixed[0].changes:
        pytest.skip("parser does not resolve weekday dates yet")
    assert fixed[0].changes["date_created"][1] == "2024-05-30"
    assert "date_created" not in none[0].changes


# --------------------------------------------------------------------------------------------
# reports


def test_json_report_shape(desk: Path, tmp_path: Path) -> None:
    (desk / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    report = tmp_path / "report.json"
    summary = run_batch([desk], BatchOptions(), report=report)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert set(data) == {"summary", "files"}
    assert data["summary"]["changed"] == 3 and data["summary"]["failed"] == 1
    assert data["summary"]["exit_code"] == summary.exit_code == 2
    for entry in data["files"]:
        assert set(entry) == {"path", "status", "changes", "warnings", "error"}
        assert entry["status"] in ("changed", "unchanged", "failed")
        for old_new in entry["changes"].values():
            assert isinstance(old_new, list) and len(old_new) == 2
    failed = [e for e in data["files"] if e["status"] == "failed"]
    assert [Path(e["path"]).name for e in failed] == ["broken.png"] and failed[0]["error"]
    assert not list(tmp_path.glob("*.partial"))


def test_csv_report_shape(desk: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    _, results = run([desk])
    run_batch([desk], BatchOptions(), report=report)
    with report.open(newline="", encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    assert list(rows[0]) == ["path", "status", "field", "old", "new", "warnings", "error"]
    expected = [(r.path, field) for r in results for field in r.changes]
    assert [(row["path"], row["field"]) for row in rows] == expected
    creators = [row for row in rows if row["field"] == "creators"]
    assert creators and all(row["old"] == "" for row in creators)


def test_report_needs_json_or_csv(desk: Path, tmp_path: Path) -> None:
    with pytest.raises(CaptionsError, match=r"\.json or \.csv"):
        run_batch([desk], BatchOptions(), report=tmp_path / "report.txt")


def test_copies_of_sample_images(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[1] / "sample_images"
    if not samples.is_dir() or not any(samples.iterdir()):
        pytest.skip("sample_images/ not built")
    shutil.copytree(samples, tmp_path / "s")
    summary, results = run([tmp_path / "s"], write=True)
    assert summary.failed == 0, [r.error for r in results if r.error]
    assert summary.changed == len(results)
    again, _ = run([tmp_path / "s"], write=True)
    assert again.changed == 0 and again.unchanged == len(results)


def test_broken_rule_files_stop_the_run(desk: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import captions.parse
    from captions import RuleFileError
    from captions.cli import main

    def broken(text: str, **kw: object) -> Caption:
        raise RuleFileError("afp.toml: credit[0].pattern: unbalanced parenthesis")

    monkeypatch.setattr(captions.parse, "parse_caption", broken)
    results: list[FileResult] = []
    with pytest.raises(RuleFileError):
        run_batch([desk], BatchOptions(), on_result=results.append)
    assert results == []  # no picture blamed for it
    assert main(["batch", str(desk)]) == 2
    assert capsys.readouterr().err == (
        "captions: error: afp.toml: credit[0].pattern: unbalanced parenthesis\n")


@pytest.mark.shared
@pytest.mark.parametrize("policy", ["fill-empty", "overwrite"])
def test_real_images_no_internal_errors_and_idempotent(tmp_path: Path, policy: str) -> None:
    """Over the shared real-world set: bad files fail cleanly, and a second write is a no-op."""
    shared = Path(__file__).resolve().parents[1] / ".." / "shared" / "images" / "files"
    if not shared.is_dir():
        pytest.skip("../shared/images/files is not beside the project")
    work = tmp_path / "files"
    shutil.copytree(shared, work)
    for path in work.iterdir():
        path.chmod(0o644)  # the shared set is read-only; our writer refuses read-only files
    style = HouseStyle(policy=policy)  # type: ignore[arg-type]
    first, results = run([work], style=style, write=True)
    assert first.files == len(list(work.iterdir()))
    assert not [r.error for r in results if r.error and "internal error" in r.error]
    failed = {r.path for r in results if r.status == "failed"}
    again, results = run([work], style=style, write=True)
    assert again.changed == 0, [(r.path, r.changes) for r in results if r.changes]
    assert {r.path for r in results if r.status == "failed"} == failed


def test_dry_run_warns_when_write_would_fail(desk: Path) -> None:
    pic = desk / "a_afp.jpg"
    pic.chmod(0o444)
    _, results = run([pic])
    assert results[0].status == "changed"
    assert "the file is read-only: --write will fail" in results[0].warnings
    summary, results = run([pic], write=True)
    assert results[0].status == "failed" and summary.exit_code == 2


# --------------------------------------------------------------------------------------------
# planning properties


def _apply(meta: ImageMetadata, changes: dict[str, tuple[object, object]]) -> ImageMetadata:
    import attrs

    return attrs.evolve(meta, **{field: new for field, (_, new) in changes.items()})


def test_plan_properties() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    text = st.one_of(st.none(), st.just(""), st.sampled_from(["Lyon", "Paris", "AFP", "X"]))
    date = st.one_of(st.none(), st.sampled_from(["2024", "2024-03", "2024-03-14",
                                                  "2024-03-14T09:30:00"]))
    names = st.lists(st.sampled_from(["Ann Lee", "Bo Chen"]), max_size=2, unique=True)

    metas = st.builds(ImageMetadata, format=st.just("jpeg"), description=st.just("caption"),
                      city=text, country=text, credit_line=text, source=text,
                      date_created=date, creators=names)
    captions_ = st.builds(
        Caption, text=st.just("caption"), subject=st.sampled_from([None, "caption", "cap"]),
        date=st.one_of(st.none(), st.sampled_from([PartialDate(2024), PartialDate(2024, 3, 14)])),
        location=st.builds(Location, city=text, country=text),
        agency=st.sampled_from([None, "AFP"]), photographer=st.sampled_from([None, "Ann Lee"]),
        credit_line=text, source=text)
    styles = st.builds(HouseStyle, policy=st.sampled_from(["fill-empty", "overwrite"]),
                       description=st.sampled_from(["keep", "subject"]))

    @settings(max_examples=300, deadline=None)
    @given(metas, captions_, styles)
    def check(meta: ImageMetadata, cap: Caption, style: HouseStyle) -> None:
        changes = plan_changes(meta, cap, style)
        current = meta.to_dict()
        for field, (old, new) in changes.items():
            assert new not in (None, "", [])  # never removes
            if style.policy == "fill-empty" and field != "description":
                assert current[field] in (None, "", [])  # never clobbers
        # applying the plan and planning again proposes nothing (idempotence)
        assert plan_changes(_apply(meta, changes), cap, style) == {}

    check()


def test_unlistable_folder_is_reported(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import captions.batch

    real = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)).name == "sub":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(captions.batch.os, "scandir", scandir)
    summary, results = run([desk])
    assert [(Path(r.path).name, r.status) for r in results] == [
        ("a_afp.jpg", "changed"), ("b_reuters.jpg", "changed"), ("sub", "failed")]
    assert results[2].error == "cannot list this folder" and summary.exit_code == 2


# --------------------------------------------------------------------------------------------
# temp files left by an interrupted write


def _leftover(folder: Path, picture: str, hours_old: float) -> Path:
    """A temp file named as write_fields names them, last changed ``hours_old`` hours ago."""
    tmp = folder / f".{picture}{TEMP_MARK}0123456789ab"
    tmp.write_bytes(b"\xff\xd8\xff\xe0 half a picture")
    stamp = os.stat(tmp).st_mtime - hours_old * 3600
    os.utime(tmp, (stamp, stamp))
    return tmp


def test_write_run_removes_only_stale_temp_files_of_ours(desk: Path) -> None:
    from captions.batch import LEFTOVER_AGE, is_leftover

    assert LEFTOVER_AGE >= 600  # a write in progress is never mistaken for a leftover
    stale = _leftover(desk, "a_afp.jpg", 2)
    stale_sub = _leftover(desk / "sub", "c_ap.jpg", 30)
    fresh = _leftover(desk, "b_reuters.jpg", 0)  # maybe another program writing right now
    lookalike = desk / f".a_afp.jpg{TEMP_MARK}notours"  # not our name pattern
    lookalike.write_bytes(b"x")
    os.utime(lookalike, (0, 0))
    folder_like = desk / f".b_reuters.jpg{TEMP_MARK}00000000000a"  # a folder, not a file
    folder_like.mkdir()
    os.utime(folder_like, (0, 0))
    assert is_leftover(stale) and not is_leftover(fresh) and not is_leftover(lookalike)

    summary, results = run([desk])  # a dry run counts them and removes nothing
    assert summary.leftovers == 2 and stale.exists() and stale_sub.exists()
    assert summary.to_dict()["leftover_temp_files"] == 2
    assert sorted(Path(r.path).name for r in results) == ["a_afp.jpg", "b_reuters.jpg", "c_ap.jpg"]

    summary, results = run([desk], write=True)
    assert summary.leftovers == 2 and summary.changed == 3
    assert not stale.exists() and not stale_sub.exists()
    assert fresh.exists() and lookalike.exists() and folder_like.is_dir()

    summary, _ = run([desk], write=True)
    assert summary.leftovers == 0


def test_cli_summary_reports_leftovers(desk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from captions.cli import main

    _leftover(desk, "a_afp.jpg", 5)
    main(["batch", str(desk)])
    assert "1 temp file left by an interrupted run found (--write removes it)" in capsys.readouterr().out
    main(["batch", "--write", str(desk)])
    assert "1 temp file left by an interrupted run removed" in capsys.readouterr().out
    main(["batch", "--write", str(desk)])
    assert "interrupted" not in capsys.readouterr().out
