"""Every published project's document validates against the schema we publish; drafts and projects
awaiting approval have none; the bids stay out until the deadline."""

from __future__ import annotations

import jsonschema

from marketplace.opendata import fields
from tests.opendata.helpers import HOSTED, S


def test_every_document_of_every_state_validates_against_the_published_schema(client, world):
    schema = client.get("/open-data/schema.json").get_json()
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for state, project in world.projects.items():
        response = client.get(f"/open-data/projects/{project.id}.json")
        if state in (S.DRAFT, S.PENDING_APPROVAL):
            assert response.status_code == 404, state
            continue
        errors = [e.message for e in validator.iter_errors(response.get_json())]
        assert not errors, (state, errors)


def test_the_document_follows_the_project_from_tender_to_final_score(client, world):
    closed = client.get(f"/open-data/projects/{world.projects[S.CLOSED].id}.json").get_json()
    assert closed["ocid"] == f"jiebang-{world.projects[S.CLOSED].id}"
    assert closed["tender"]["status"] == "complete" and closed["tender"]["value"]["amount"] == 5000
    assert [a["status"] for a in closed["awards"]] == ["active"]
    assert closed["awards"][0]["suppliers"][0]["name"] == world.club_a.name
    implementation = closed["contracts"][0]["implementation"]
    assert implementation["spendingTotal"] == {"amount": 320.5, "currency": "CNY"}
    assert [m["progressPercent"] for m in implementation["milestones"]] == [50]
    assert implementation["finalScore"]["score"] == 87.25
    assert closed["contracts"][0]["status"] == "terminated"
    roles = {p["name"]: p["roles"] for p in closed["parties"]}
    assert roles[world.union.name] == ["buyer", "procuringEntity"]
    assert set(roles[world.club_a.name]) == {"tenderer", "supplier"}

    failed = client.get(f"/open-data/projects/{world.projects[S.FAILED].id}.json").get_json()
    assert failed["tender"]["status"] == "unsuccessful" and failed["tender"]["numberOfTenderers"] == 0


def test_the_number_of_tenderers_and_who_bid_stay_out_until_the_deadline(client, world):
    for state in (S.OPEN, S.CANCELLED):  # cancelled while open: sealed for good
        tender = client.get(f"/open-data/projects/{world.projects[state].id}.json").get_json()["tender"]
        assert "numberOfTenderers" not in tender and "tenderers" not in tender, state
        document = client.get(f"/open-data/projects/{world.projects[state].id}.json").get_data(as_text=True)
        assert world.club_b.name not in document and world.club_a.name not in document, state
    reviewing = client.get(f"/open-data/projects/{world.projects[S.REVIEWING].id}.json").get_json()
    assert reviewing["tender"]["numberOfTenderers"] == 2
    assert {t["name"] for t in reviewing["tender"]["tenderers"]} == {world.club_a.name, world.club_b.name}


def test_contracts_appear_only_once_hosting_has_started(client, world):
    for state, project in world.projects.items():
        if state in (S.DRAFT, S.PENDING_APPROVAL):
            continue
        document = client.get(f"/open-data/projects/{project.id}.json").get_json()
        assert ("contracts" in document) == (state in HOSTED), state


def test_every_schema_property_has_a_chinese_title():
    def walk(node, path):
        for name, child in node.get("properties", {}).items():
            yield f"{path}{name}", child
            yield from walk(child, f"{path}{name}.")
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], path)

    found = list(walk(fields.schema(), ""))
    assert len(found) == len(fields.FIELDS)
    for path, node in found:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in node.get("title", "")), path


def test_the_field_page_lists_every_field_of_the_schema(client):
    page = client.get("/open-data/fields").get_data(as_text=True)
    for row in fields.rows():
        assert f'id="{row.field.path}"' in page and row.path in page


def test_an_unknown_or_unpublished_project_has_no_document(client, world):
    assert client.get("/open-data/projects/999999.json").status_code == 404
    assert client.get(f"/open-data/projects/{world.projects[S.DRAFT].id}.json").status_code == 404
