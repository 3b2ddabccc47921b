"""A source is the publication as cited plus the pack's own words about it: those words are
in the reader's language (a French result carried "Not sure counted as yes (pack policy)")."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import evaluate
from triage.pack.load import load_pack
from triage.pack.sources import content_hash, read_pack_files
from triage.pack.validate import check_files
from triage.render import outcome_json, outcome_markdown, outcome_text
from triage.render.report import report_html

# not sure about the health history: health_history_unsure fires (its source was all prose)
NOT_SURE = {"emergency_signs": [], "age": 58, "recent_stroke_signs": "no", "areas": ["low_back"],
            "exertion_pain": "no", "today_signs": [], "health_history": ["not_sure"],
            "injury": "none", "duration": "under_6_weeks", "onset": "gradual",
            "other_symptoms": [], "reasons": ["desk_posture"], "conditions": [],
            "ces_signs": [], "bladder_bowel": [], "wound_signs": [], "pregnancy_signs": [],
            "first_time": "no",
            "myelopathy_signs": [], "aneurysm_pain": "no", "exertion_pain_later": "no",
            "head_injury": "no", "cancer_nerve_pain": "no"}
NOTE_SOURCE = ('source: {citation: "Finucane LM et al., IFOMPT framework, JOSPT 50(7)", '
               'note: {en: "Fever is a sign of infection", fr: "La fièvre est un signe '
               'd\'infection"}, year: 2020, kind: consensus}')


def test_the_bundled_packs_own_words_are_french_in_a_french_result() -> None:
    pack = load_pack(REPO_ROOT / "rules", use_cache=False)
    outcome = evaluate(pack, NOT_SURE)
    assert "health_history_unsure" in {r.id for r in outcome.fired}
    for text in (outcome_text(outcome, pack, "fr", plain=True),
                 outcome_markdown(outcome, pack, "fr"), report_html(outcome, pack, "fr")):
        assert "pack policy" not in text and "Not sure counted" not in text
        assert "compté comme un oui (politique de ces règles)" in text
        # the publication stays as published
        assert "Batavia M, Contraindications for therapeutic massage" in text
    english = outcome_text(outcome, pack, "en", plain=True)
    assert "(2004, professional consensus). Uncontrolled blood pressure" in english


def test_a_note_follows_the_citation_and_is_in_json(pack_copy: Callable[..., Path]) -> None:
    folder = pack_copy({"red_flags.yaml": lambda text: text.replace(
        'source: {citation: "Finucane LM et al., IFOMPT framework, JOSPT 50(7)", year: 2020, '
        'kind: consensus}', NOTE_SOURCE)})
    pack = load_pack(folder, use_cache=False)
    outcome = evaluate(pack, {"chest_pain": "no", "fall": "no", "age": 70, "fever": "yes",
                              "area": "knee", "problems": ["stiffness"]})
    french = outcome_text(outcome, pack, "fr", plain=True)
    assert ("[Finucane LM et al., IFOMPT framework, JOSPT 50(7) (2020, consensus "
            "professionnel). La fièvre est un signe d'infection]") in french
    (flag,) = [r for r in json.loads(outcome_json(outcome, pack, "fr"))["fired"]
               if r["id"] == "fever_older"]
    assert flag["source"]["note"] == {"en": "Fever is a sign of infection",
                                      "fr": "La fièvre est un signe d'infection"}


def test_a_source_note_needs_every_language(pack_copy: Callable[..., Path]) -> None:
    folder = pack_copy({"red_flags.yaml": lambda text: text.replace(
        'source: {citation: "Finucane LM et al., IFOMPT framework, JOSPT 50(7)", year: 2020, '
        'kind: consensus}', NOTE_SOURCE.replace(', fr: "La fièvre est un signe d\'infection"',
                                                ""))})
    files = read_pack_files(folder)
    pack, problems = check_files(folder, files, content_hash(files))
    assert pack is None
    (problem,) = [str(p) for p in problems]
    assert problem.endswith("red_flags.yaml:21:83: missing French ('fr') text"), problem
