"""HL7 FHIR (R5 or R4): the pack as a Questionnaire and CodeSystems, screenings as
QuestionnaireResponses, and responses from any FHIR client back into answers.

Pure functions returning JSON-ready dicts; no FHIR library is needed at run time (the tests
validate the output against HL7's JSON schemas, ``fhir.resources`` and LHC-Forms). The work
is in :mod:`triage.interop`: ``fhir_common`` (canonical URLs, codes, texts),
``skiplogic`` (``ask_if`` as enableWhen / FHIRPath), ``questionnaire``, ``codesystem`` and
``response``; this module is the one place callers import from.
"""

from __future__ import annotations

from triage.interop.codesystem import (
    answers_code_system,
    code_systems_bundle,
    dispositions_code_system,
)
from triage.interop.fhir_common import (
    ENABLE_WHEN_EXPRESSION,
    FHIR_VERSIONS,
    NONE_OPTION,
    PLACEHOLDER_BASE,
    Canon,
    FhirVersion,
    check_base_url,
    disposition_codes,
    option_code,
)
from triage.interop.questionnaire import (
    NOTICE_PREFIX,
    emergency_notices,
    notice_condition,
    questionnaire,
    safety_questions,
)
from triage.interop.response import (
    StoredScreening,
    answers_from_response,
    is_questionnaire_response,
    outcome_extension,
    questionnaire_response,
    record_exporter,
)
from triage.interop.skiplogic import condition_text, enable_when, fhirpath, simplified

__all__ = [
    "ENABLE_WHEN_EXPRESSION",
    "FHIR_VERSIONS",
    "NONE_OPTION",
    "NOTICE_PREFIX",
    "PLACEHOLDER_BASE",
    "Canon",
    "FhirVersion",
    "StoredScreening",
    "answers_code_system",
    "answers_from_response",
    "check_base_url",
    "code_systems_bundle",
    "condition_text",
    "disposition_codes",
    "dispositions_code_system",
    "emergency_notices",
    "enable_when",
    "fhirpath",
    "is_questionnaire_response",
    "notice_condition",
    "option_code",
    "outcome_extension",
    "questionnaire",
    "questionnaire_response",
    "record_exporter",
    "safety_questions",
    "simplified",
]
