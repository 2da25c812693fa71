"""Results page (issue 4 item 3): owner only (others 404, anonymous to login), triage message
first and alone when blocking, otherwise the ranked, explained techniques with evidence grades,
scores with soft bands and the wording note; only the stored result is shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from backrelief.accounts.models import ConsentPurpose
from backrelief.accounts.services.consent import consent_give
from backrelief.assessment.services import assessment_create
from backrelief.assessment.tests.assess_inputs import all_no, raw_input

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
TECHNIQUE_NAMES = ("Swedish massage", "Deep tissue", "Trigger point", "Shiatsu", "Hot stone")


def _assessment(user, **overrides):
    consent_give(user=user, purpose=ConsentPurpose.HEALTH_DATA, now=NOW - dt.timedelta(days=1))
    return assessment_create(owner=user, raw=raw_input(**overrides), now=NOW)


def _url(row):
    return reverse("assessment:assessment_result", args=[row.public_id])


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_owner_sees_ranked_explained_techniques_with_grades_and_scores(client, client_user):
    row = _assessment(
        client_user,
        questionnaires={"nprs": [6], "odi": [2, 1, 1, 2, 1, 2, 1, None, 1, 2]},
        country="GB",
    )
    client.force_login(client_user)
    response = client.get(_url(row))
    assert response.status_code == 200
    body = _text(response)
    assert "No warning signs reported today." in body
    ranked = sorted((t for t in row.result["techniques"] if t["rank"]), key=lambda t: t["rank"])
    positions = [body.index(f"{t['rank']}. {t['name']}") for t in ranked]
    assert positions == sorted(positions)
    assert "Why it fits" in body
    # every benefit shown carries its grade badge right before it
    for technique in ranked:
        for benefit in technique["benefits"]:
            grade = benefit["evidence_grade"]
            assert re.search(
                rf'class="evidence evidence-{grade}">[^<]+</span> {re.escape(benefit["claim"])}',
                body.replace("&#x27;", "'"),
            ), benefit["claim"]
    assert "moderate limitation" in body
    assert "28.9%" in body
    assert "plain-language summary, not the licensed form" in body
    assert "Emergency number" not in body


@pytest.mark.parametrize(
    ("flags", "heading"),
    [
        (all_no(E3=True), "Get emergency care now"),
        (all_no(U1=True), "Speak to a doctor today"),
        (all_no(E3=None), "Some warning-sign questions are not answered"),
    ],
    ids=["emergency", "urgent", "not-screened"],
)
def test_blocking_triage_shows_its_message_alone(client, client_user, flags, heading):
    row = _assessment(client_user, red_flags=flags, country="GB")
    client.force_login(client_user)
    body = _text(client.get(_url(row)))
    assert heading in body
    assert row.result["triage"]["message"] in body.replace("&#x27;", "'")
    main = body.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    for name in TECHNIQUE_NAMES:
        assert name not in main, name
    assert "Techniques that fit" not in main
    if row.triage_level == "EMERGENCY":
        assert 'href="tel:999"' in main
        assert main.index("Get emergency care now") < main.index("tel:999")


def test_soon_shows_the_message_before_the_techniques(client, client_user):
    row = _assessment(client_user, red_flags=all_no(S2=True))
    client.force_login(client_user)
    body = _text(client.get(_url(row)))
    assert body.index("See your doctor in the next 1–2 weeks") < body.index("Techniques that fit")


def test_other_people_get_a_404_and_anonymous_visitors_the_login(
    client, client_user, other_client, therapist
):
    row = _assessment(client_user)
    for person in (other_client, therapist):  # staff need two-factor first
        client.force_login(person)
        assert client.get(_url(row)).status_code == 404
    client.logout()
    response = client.get(_url(row))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_id_is_a_404(client, client_user):
    client.force_login(client_user)
    url = reverse("assessment:assessment_result", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_after_an_urgent_result_the_person_records_a_clinician_assessment(client, client_user):
    row = _assessment(client_user, red_flags=all_no(U1=True))
    client.force_login(client_user)
    body = _text(client.get(_url(row)))
    attest = reverse("assessment:assessment_attest", args=[row.public_id])
    assert f'action="{attest}"' in body
    response = client.post(attest)
    assert response["Location"] == _url(row)
    body = _text(client.get(_url(row)))
    assert "that a clinician has assessed you" in body
    assert "Answer the questions again" in body


def test_nobody_else_can_record_a_statement(client, client_user, other_client):
    row = _assessment(client_user, red_flags=all_no(U1=True))
    client.force_login(other_client)
    url = reverse("assessment:assessment_attest", args=[row.public_id])
    assert client.post(url).status_code == 404


def test_not_screened_lists_the_unanswered_questions_in_plain_words(client, client_user):
    from backrelief.assessment.data.red_flags import QUESTIONS_BY_ID

    row = _assessment(client_user, red_flags=all_no(E3=None, S5=None))
    client.force_login(client_user)
    body = _text(client.get(_url(row))).replace("&#x27;", "'")
    assert "Questions still to answer" in body
    for qid in ("E3", "S5"):
        assert QUESTIONS_BY_ID[qid].text in body
    assert "Answer these warning-sign questions:" not in body  # no bare ids
