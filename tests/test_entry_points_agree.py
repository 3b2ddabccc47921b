"""One answer set, one result, whichever way it comes in (a differential test).

Answer sets are drawn from the bundled pack (tests/answer_sets.py: walks through the
questionnaire, complete sets, walks cut short, answers to questions the gates close) and
joined by the pack's own cases (rules/tests). Each entry point must give each set the same
verdict (tests/entry_points.py: the disposition, the rules that hold, soft tissue struck; or
the same kind of refusal) as the engine: ``evaluate`` with the pack built cold and read from
the cache; ``triage batch`` (CSV with and without --fired, JSONL); ``POST /api/assess`` on a
real ``triage serve``; ``triage assess --answers`` (YAML, JSON, a FHIR QuestionnaireResponse;
English and French); the line-mode questionnaire, ``--resume`` of a saved session and the
web pages (samples). Every set is also sent respelled (tests/respellings.py) to the readers of
YAML files, CSV rows and API bodies. Then spellings a reader could take another way, and a
cache made stale.

Kept fast for CI (about 30 s of CPU): one batch call per format and one server for the whole
sample; the runs of ``assess`` and of the questionnaire (each loads the pack: about 0.1 s)
take a sample. A disagreement is reported with the answers as YAML, to reproduce it with
``triage assess --answers a.yaml --format json``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.answer_sets import (
    any_answer_sets,
    as_csv,
    as_fhir,
    as_json,
    as_yaml,
    plain,
    typed_lines,
)
from tests.entry_points import (
    BAD_VALUE,
    HIDDEN_SIGN,
    MISSING,
    Api,
    Verdict,
    assess_file,
    batch_rows,
    engine,
    of_batch_row,
    of_outcome,
    screened,
)
from tests.respellings import csv_cells, csv_text, json_answers, yaml_text
from tests.web.conftest import Visitor, make_client, serving
from triage.cli.app import app
from triage.engine.answers import check_answers, read_answers_file
from triage.engine.evaluate import MissingAnswers, evaluate_cold, evaluate_interpreted
from triage.engine.flow import Flow
from triage.engine.sessions import Session
from triage.pack.cache import MAGIC, cache_get, entry_key, seal_entry
from triage.pack.compiled import CompiledPack
from triage.pack.load import default_pack_dir, load_pack
from triage.pack.sources import content_hash, read_pack_files
from triage.records import open_store, resolve_settings
from triage.web.screening import NONE_OF_THESE

DRAWN = 120  # answer sets drawn per run, besides the pack's cases
ASSESSED = 64  # of them (and of the cases), through `triage assess` one process each
TYPED = 16  # walks typed at the questionnaire
RESUMED = 16  # sets saved as a session and resumed
PAGED = 10  # walks answered on the web pages
PACK_DIR = default_pack_dir()
COLD = load_pack(None, use_cache=False)
runner = CliRunner()


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CompiledPack]:
    """The bundled pack as the cache holds it (the session's cache folder, as the autouse
    fixture sets it for each test: a module fixture runs before it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRIAGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
        load_pack(None)  # writes the entry if no test did
        pack = cache_get(content_hash(read_pack_files(PACK_DIR)), PACK_DIR)
        assert pack is not None, "the bundled pack was not read from the cache"
        yield pack


@pytest.fixture(scope="module")
def sample() -> list[tuple[dict[str, Any], Any]]:
    """(answers, a seeded random.Random for its spellings): the drawn sets, then the cases."""
    drawn: list[tuple[dict[str, Any], Any]] = []

    @settings(max_examples=DRAWN, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(any_answer_sets(COLD), st.integers(0, 2**32 - 1))
    def draw(answers: dict[str, Any], seed: int) -> None:
        drawn.append((answers, random.Random(seed)))

    draw()
    return drawn + [(dict(case.answers), random.Random(i)) for i, case in
                    enumerate(COLD.cases)]


def report(disagreements: list[str], total: int) -> str:
    return (f"{len(disagreements)} disagreements in {total} checks (an answers file to "
            "reproduce each: `triage assess --answers a.yaml --format json`):\n"
            + "\n".join(disagreements[:8]))


def _tell(where: str, answers: dict[str, Any], got: Verdict, want: Verdict) -> str:
    return f"--- {where}: {got}, the engine: {want}\n{as_yaml(answers)}"


# ------------------------------------------------------------------------------ the engine


@pytest.mark.long(9)
def test_the_engine_gives_one_result_built_cold_or_read_from_the_cache(
        cached: CompiledPack, sample: list[tuple[dict[str, Any], Any]]) -> None:
    """``evaluate`` (compiled once warm), ``evaluate_cold`` (a pack's first calls) and
    ``evaluate_interpreted``, each on the pack built cold and on the pack read from the
    cache; and the questionnaire's own state machine given a walk's answers as it asks."""
    disagreements: list[str] = []
    for i, (answers, _) in enumerate(sample):
        want = engine(COLD, answers)
        got = {"evaluate, cached": engine(cached, answers)}
        for decide in (evaluate_cold, evaluate_interpreted):
            for name, pack in (("cold", COLD), ("cached", cached)):
                try:
                    got[f"{decide.__name__}, {name}"] = of_outcome(decide(pack, answers))
                except MissingAnswers:
                    got[f"{decide.__name__}, {name}"] = Verdict(MISSING)
        got["screened, cached"] = screened(cached, answers)
        if i < DRAWN and typed_lines(COLD, answers) is not None:  # a walk: asked as is
            flow = Flow(COLD)
            while (q := flow.current) is not None:
                flow.set_answer(q.id, answers[q.id])
            got["Flow.outcome"] = of_outcome(flow.outcome())
        for where, verdict in got.items():
            reference = screened(COLD, answers) if where.startswith("screened") else want
            if verdict != reference:
                disagreements.append(_tell(where, answers, verdict, reference))
    assert not disagreements, report(disagreements, len(sample) * 7)


# ------------------------------------------------------------------------ the entry points


def test_batch_gives_each_row_the_engines_result(sample: list[tuple[dict[str, Any], Any]],
                                                 tmp_path: Path) -> None:
    """The whole sample in one file per run: CSV with and without --fired (the quick path
    that works out the disposition alone), JSONL, and CSV respelled."""
    sets = [answers for answers, _ in sample]
    wants = [screened(COLD, answers) for answers in sets]
    (tmp_path / "sets.csv").write_text(as_csv(sets, COLD))
    (tmp_path / "sets.jsonl").write_text("".join(
        json.dumps({q: plain(v) for q, v in a.items()}) + "\n" for a in sets))
    respelled = [csv_cells(answers, rnd) for answers, rnd in sample]
    (tmp_path / "respelled.csv").write_bytes(csv_text(respelled, COLD, sample[0][1]))
    disagreements: list[str] = []
    runs = [("batch csv --fired", "sets.csv", True), ("batch csv", "sets.csv", False),
            ("batch jsonl --fired", "sets.jsonl", True),
            ("batch respelled csv --fired", "respelled.csv", True)]
    for where, name, fired in runs:
        rows = batch_rows(runner, tmp_path / name, fired=fired)
        assert len(rows) == len(sets), where
        for answers, row, want in zip(sets, rows, wants, strict=True):
            got = of_batch_row(row, COLD)
            if not got.matches(want):
                disagreements.append(_tell(where, answers, got, want))
    assert not disagreements, report(disagreements, len(runs) * len(sets))


def test_the_web_api_gives_each_set_the_engines_result(
        sample: list[tuple[dict[str, Any], Any]], tmp_path: Path) -> None:
    """The whole sample, English and French in turn, over one kept-alive connection to one
    `triage serve` (its pack built and cached by itself); respelled too."""
    disagreements: list[str] = []
    with serving(tmp_path, secret="agree-" + "k" * 40) as url:
        api = Api(url)
        try:
            for i, (answers, rnd) in enumerate(sample):
                want = screened(COLD, answers)
                lang = ("en", "fr")[i % 2]
                sent = [(f"api {lang}", api.assess(answers, lang))]
                if i < DRAWN or i % 4 == 0:  # respelled: the drawn sets, a case in 4
                    sent.append(("api respelled", api.post(json.dumps(
                        {"answers": json_answers(answers, rnd)}).encode())))
                for where, got in sent:
                    if got != want:
                        disagreements.append(_tell(where, answers, got, want))
        finally:
            api.close()
    assert not disagreements, report(disagreements, len(sample))


def _assessed(sample: list[tuple[dict[str, Any], Any]]) -> list[tuple[dict[str, Any], Any]]:
    """Two thirds drawn sets, then cases spread over the pack's test files."""
    drawn = ASSESSED * 2 // 3
    cases = sample[DRAWN:]
    return sample[:drawn] + cases[::len(cases) // (ASSESSED - drawn)][:ASSESSED - drawn]


def _newest_record(seen: set[str]) -> Verdict:
    """The verdict of the one record stored since those in ``seen`` (added to them)."""
    with open_store(resolve_settings()) as store:
        (new,) = [r for r in store.list() if r.id not in seen]
    seen.add(new.id)
    return Verdict(None, new.outcome["disposition"],
                   tuple(f["id"] for f in new.outcome["fired"]),
                   new.outcome["soft_tissue_struck"])


def test_assess_reads_every_file_format_the_same(sample: list[tuple[dict[str, Any], Any]],
                                                 tmp_path: Path) -> None:
    """YAML, JSON, FHIR and respelled YAML in turn, English and French in turn."""
    disagreements: list[str] = []
    chosen = _assessed(sample)
    for i, (answers, rnd) in enumerate(chosen):
        want = screened(COLD, answers)
        form = ("yaml", "json", "fhir", "respelled.yaml")[i % 4]
        if form == "fhir" and want.refused == HIDDEN_SIGN:
            form = "json"  # a QuestionnaireResponse holds only answers that apply
        path = tmp_path / f"a{i}.{form.split('.')[-1] if form != 'fhir' else 'json'}"
        if form == "yaml":
            path.write_text(as_yaml(answers))
        elif form == "json":
            path.write_text(as_json(answers))
        elif form == "fhir":
            path.write_text(as_fhir(answers, COLD))
        else:
            path.write_bytes(yaml_text(answers, rnd))
        lang = ("en", "fr")[i // 4 % 2]
        got = assess_file(runner, path, lang)
        if got != want:
            disagreements.append(_tell(f"assess {form} --lang {lang}", answers, got, want))
    assert not disagreements, report(disagreements, len(chosen))


@pytest.mark.long(10)
def test_the_questionnaire_gives_the_result_the_answers_file_gets(
        sample: list[tuple[dict[str, Any], Any]]) -> None:
    """Walks typed at the line-mode questionnaire (each answer typed as it is asked, an
    emergency confirmed with one key), saved with --record: the record's outcome is the
    engine's for the same answers."""
    walks = [a for a, _ in sample[:DRAWN] if typed_lines(COLD, a) is not None]
    assert len(walks) >= TYPED
    disagreements: list[str] = []
    seen: set[str] = set()
    for i, answers in enumerate(walks[:TYPED]):
        lang = ("en", "fr")[i % 2]
        done = runner.invoke(app, ["assess", "--record", "--lang", lang],
                             input=typed_lines(COLD, answers, lang),
                             env={"TRIAGE_INTERACTIVE": "1"})
        assert done.exit_code == 0, done.stderr[-3000:]
        got = _newest_record(seen)
        want = screened(COLD, answers)
        if got != want:
            disagreements.append(_tell(f"the questionnaire --lang {lang}", answers, got,
                                       want))
    assert not disagreements, report(disagreements, TYPED)
    assert os.environ["TRIAGE_DATA_DIR"]  # the autouse fixture's own folder, not the user's


def test_the_web_pages_give_the_result_the_answers_file_gets(
        sample: list[tuple[dict[str, Any], Any]], cached: CompiledPack) -> None:
    """Walks answered one page at a time (the app the web tests use, recording): each form
    as the page asks it, an emergency confirmed; the record's outcome is the engine's."""
    walks = [a for a, _ in sample[:DRAWN] if typed_lines(COLD, a) is not None][:PAGED]
    disagreements: list[str] = []
    seen: set[str] = set()
    for answers in walks:
        with make_client(cached, record=True) as client:
            visitor = Visitor(client)
            visitor.start()
            for _ in range(len(answers) + 2):  # each question once, and a confirmation
                qid = visitor.question()
                if qid is None and 'value="confirm_yes"' in visitor.page:
                    visitor.post({"action": "confirm_yes"})
                elif qid is not None:
                    value = answers[qid]
                    visitor.answer(*(sorted(value) or [NONE_OF_THESE]
                                     if isinstance(value, frozenset) else [str(value)]))
            assert visitor.question() is None, visitor.page[-2000:]
        got = _newest_record(seen)
        want = screened(COLD, answers)
        if got != want:
            disagreements.append(_tell("the web pages", answers, got, want))
    assert not disagreements, report(disagreements, len(walks))


def test_a_resumed_session_gives_the_engines_result(
        sample: list[tuple[dict[str, Any], Any]], tmp_path: Path) -> None:
    """A saved session holding a whole set (`--save`'s file) resumed with `--resume`: Enter
    at the review and after the result; a warning sign answered where it does not apply is
    refused (exit 1), as `assess --answers` refuses it. (A set that leaves a question the
    questionnaire would still ask is not resumed here: it would be asked.)"""
    chosen = [(i, a) for i, (a, _) in enumerate(sample[:DRAWN])
              if screened(COLD, a).refused == HIDDEN_SIGN
              or Flow.restore(COLD, a.items())[0].finished][:RESUMED]
    disagreements: list[str] = []
    seen: set[str] = set()
    for i, answers in chosen:
        want = screened(COLD, answers)
        session = Session.for_pack(COLD, "en", caller=False)
        session.answers = list(answers.items())
        session.save(tmp_path / f"s{i}.json")
        done = runner.invoke(app, ["assess", "--resume", str(tmp_path / f"s{i}.json"),
                                   "--record"], input="\n" * 6,
                             env={"TRIAGE_INTERACTIVE": "1"})
        if done.exit_code == 1:
            # "Your saved answers include a warning sign: ..."
            got = Verdict(HIDDEN_SIGN if "include a warning sign" in done.stderr
                          else BAD_VALUE)
        else:
            assert done.exit_code == 0, done.stderr[-3000:]
            got = _newest_record(seen)
        if got != want:
            disagreements.append(_tell("assess --resume", answers, got, want))
    assert not disagreements, report(disagreements, len(chosen))


# ------------------------------------------------------ spellings a reader could take otherwise

DUPLICATE = "injury"  # written twice: "none", then "last_2_days"


def test_what_one_reader_refuses_no_other_reads(tmp_path: Path) -> None:
    """The desk worker of examples/answers.yaml, spelled three ways that some reader could
    take for an answer: a key written twice (the last one wins in PyYAML and in json.loads),
    YAML 1.1's ``off`` for "no" (a boolean there), an age with a fraction a float rounds
    away (64.99999999999999999 is 65.0, past a bound of 65). Each is refused by every entry
    point that can be given it: `assess` with YAML, JSON and FHIR files, `batch` with CSV
    and JSONL, the API."""
    desk = read_answers_file(PACK_DIR.parent / "examples" / "answers.yaml")
    normal = check_answers(desk, COLD.shapes)[0]
    refused = Verdict(BAD_VALUE)
    texts: list[tuple[str, str, str]] = []  # (what, JSON text, YAML text)
    body = json.dumps(desk)[:-1] + f', "{DUPLICATE}": "last_2_days"}}'
    texts.append((f"{DUPLICATE} twice", body, as_yaml(normal) + f"{DUPLICATE}: last_2_days\n"))
    for question, written in (("recent_stroke_signs", "off"), ("age", "64.99999999999999999")):
        rest = {q: v for q, v in normal.items() if q != question}
        json_value = written if question == "age" else json.dumps(written)
        texts.append((f"{question}: {written}",
                      json.dumps({q: plain(v) for q, v in rest.items()})[:-1]
                      + f', "{question}": {json_value}}}',
                      as_yaml(rest) + f"{question}: {written}\n"))
    fhir = json.loads(as_fhir(normal, COLD))
    twice = next(item for item in fhir["item"] if item["linkId"] == DUPLICATE)
    fhir["item"].append({**twice, "answer": [{"valueCoding": {
        **twice["answer"][0]["valueCoding"], "code": f"{DUPLICATE}.last_2_days"}}]})
    (tmp_path / "twice.fhir.json").write_text(json.dumps(fhir))
    assert assess_file(runner, tmp_path / "twice.fhir.json", "en") == refused
    header, row = as_csv([normal], COLD).splitlines()
    (tmp_path / "twice.csv").write_text(f"{header},{DUPLICATE}\n{row},last_2_days\n")
    done = runner.invoke(app, ["batch", str(tmp_path / "twice.csv"), "--out", "-"])
    assert done.exit_code == 1 and done.stdout == "" and "twice" in done.stderr
    (tmp_path / "rows.jsonl").write_text("".join(json_text + "\n" for _, json_text, _ in texts))
    rows = batch_rows(runner, tmp_path / "rows.jsonl", fired=True)
    with serving(tmp_path, secret="agree-" + "k" * 40) as url:
        api = Api(url)
        try:
            for (what, json_text, yaml_text_), row_ in zip(texts, rows, strict=True):
                (tmp_path / "a.json").write_text(json_text)
                (tmp_path / "a.yaml").write_text(yaml_text_)
                assert assess_file(runner, tmp_path / "a.json", "en") == refused, what
                assert assess_file(runner, tmp_path / "a.yaml", "en") == refused, what
                assert of_batch_row(row_, COLD) == refused, what
                assert api.post(f'{{"answers": {json_text}}}'.encode()) == refused, what
        finally:
            api.close()


# ------------------------------------------------------------------------ a cache made stale

DESK = 'when: "desk_posture in reasons"'
OVERUSE = 'when: "overuse in reasons"     '  # the same size: desk work then supports nothing


def test_a_cache_made_stale_never_changes_a_result(private_cache: Path, tmp_path: Path,
                                                   ) -> None:
    """The bundled pack copied and cached, then: edited keeping its size and change time;
    its entry truncated, from another version of the cache, or empty; the entry of the pack
    before the edit under the edited pack's name, as it was and sealed with the edited
    pack's key; another pack at the same path. Every load gives what a cold build of the
    files as they are gives, in the engine and through `triage assess --pack`."""
    pack_dir = tmp_path / "rules"
    shutil.copytree(PACK_DIR, pack_dir)
    desk_work = tmp_path / "desk.yaml"
    shutil.copy(PACK_DIR.parent / "examples" / "answers.yaml", desk_work)
    sets = [read_answers_file(desk_work), *(dict(case.answers) for case in COLD.cases[::20])]
    rules = pack_dir / "indications.yaml"
    original = rules.read_text()
    assert original.count(DESK) == 1 and len(DESK) == len(OVERUSE)
    cold: dict[str, list[Verdict]] = {}  # rules text -> verdicts of a cold build

    def agree(step: str) -> list[Verdict]:
        text = rules.read_text()
        if text not in cold:
            built = load_pack(pack_dir, use_cache=False)
            cold[text] = [engine(built, a) for a in sets]
        want = cold[text]
        for attempt in ("writes or reads the entry", "reads it"):
            loaded = load_pack(pack_dir)
            got = [engine(loaded, a) for a in sets]
            wrong = [i for i, (g, c) in enumerate(zip(got, want, strict=True)) if g != c]
            assert not wrong, f"{step}, {attempt}: {len(wrong)} sets differ, first " \
                              f"{sets[wrong[0]]}: {got[wrong[0]]}, cold {want[wrong[0]]}"
        assert assess_file(runner, desk_work, "en", "--pack", str(pack_dir)) == want[0], step
        return want

    def newest_entry() -> Path:
        return max((private_cache / "packs").glob("*.json"), key=lambda p: p.stat().st_mtime_ns)

    before = agree("the copy")
    original_entry = newest_entry().read_bytes()
    stat = rules.stat()
    rules.write_text(original.replace(DESK, OVERUSE))
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (rules.stat().st_size, rules.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    edited = agree("edited, same size and time")
    assert edited[0] != before[0]  # the edit changes a result: a stale entry would show
    payload = original_entry[len(MAGIC) + 65:]
    data, _, cases = payload.partition(b"\n")
    key = entry_key(load_pack(pack_dir, use_cache=False).content_hash, pack_dir)
    for name, spoil in (
            ("truncated", lambda b: b[:len(b) // 2]),
            ("from another cache version",
             lambda b: b.replace(b"triage-pack-cache 6", b"triage-pack-cache 5")),
            ("empty", lambda b: b""),
            ("of the pack before the edit", lambda b: original_entry),
            ("of the pack before the edit, sealed with this pack's key",
             lambda b: seal_entry({**json.loads(data)["pack"], "cases": json.loads(cases)},
                                  key))):
        entry = newest_entry()
        entry.write_bytes(spoil(entry.read_bytes()))
        assert agree(f"entry {name}") == edited
    shutil.copytree(PACK_DIR, tmp_path / "another")
    shutil.rmtree(pack_dir)
    (tmp_path / "another").rename(pack_dir)  # the pack before the edit, at the same path
    assert agree("another pack at the same path") == before
