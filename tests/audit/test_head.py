"""The head record is authenticated (issue 25, G5).

The tester held the database and the head file but not the audit key: a cut tail with the
head rewritten to name the new last row verified as intact, and so did an emptied chain with
the head file deleted. The head now carries an HMAC keyed with the audit key (over the last
row's id and hash, the row count and a write counter), and "no head" is not intact once the
database holds staff or intakes.

Then the cut tail with the head deleted, or rewritten in the old {"id", "hash"} format, was
laundered by the next audited action, which started a fresh signed record over the chain as it
stood. The app now starts a record by itself only for an empty chain; over rows already there,
only `flask audit adopt-head`, which is audited.
"""

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from clinic.audit.head import HeadError, head_mac
from tests.audit.chain_helpers import (
    database_alone,
    head_file,
    recorded_head,
    rows,
    verify,
    write_events,
)
from tests.factories import audit_trail, create_staff
from tests.pages import login

KEY_1 = "3f1c9a0be24d7786c5e1a9b3d0f24c6e8a17b5d9c3e2f4a6b8d0c1e3f5a7b9d2"
KEY_2 = "9b7e2d4c6a8f0e1d3c5b7a9f2e4d6c8b0a1f3e5d7c9b2a4f6e8d0c3b5a7f9e1d"


def cut_tail(app: Flask, keep: int) -> None:
    ids = [event.id for event in rows(app)]
    with database_alone(app) as run:
        run("DELETE FROM audit_event WHERE id > :id", {"id": ids[keep - 1]})


def rewrite_head(app: Flask, record: dict[str, Any]) -> None:
    head_file(app).write_text(json.dumps(record) + "\n")


def adopt(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["audit", "adopt-head", *args])


def test_a_cut_tail_with_its_head_rewritten_the_old_way_is_reported(app: Flask) -> None:
    write_events(app, 5)
    cut_tail(app, keep=3)
    last = rows(app)[-1]
    # Before issue 25 this was the whole record, and verify said "intact".
    rewrite_head(app, {"id": last.id, "hash": last.hash})
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert "old, unauthenticated format" in result.output


def test_a_cut_tail_with_a_forged_head_is_reported(app: Flask) -> None:
    write_events(app, 5)
    recorded = json.loads(head_file(app).read_text())
    cut_tail(app, keep=3)
    last = rows(app)[-1]
    # The new format, the new tail, the count and a counter ahead; the MAC is made with a key
    # the attacker has (the secret key, say), or kept from the old record.
    for key in (app.config["SECRET_KEY"].encode(), None):
        mac = (head_mac(key, last.id, last.hash, 3, recorded["counter"] + 1) if key
               else recorded["mac"])
        rewrite_head(app, {**recorded, "id": last.id, "hash": last.hash, "count": 3,
                           "counter": recorded["counter"] + 1, "mac": mac})
        result = verify(app)
        assert result.exit_code == 1, result.output
        assert "cannot be trusted" in result.output and "HMAC does not verify" in result.output


def test_a_forged_head_is_never_advanced_by_the_app(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    write_events(app, 3)
    cut_tail(app, keep=2)
    last = rows(app)[-1]
    forged = {**json.loads(head_file(app).read_text()), "id": last.id, "hash": last.hash,
              "count": 2}
    rewrite_head(app, forged)
    # Staff go on working: the app leaves the forged record for verify to find.
    write_events(app, 2, action="after.cut")
    assert json.loads(head_file(app).read_text()) == forged
    assert "does not verify" in caplog.text
    assert verify(app).exit_code == 1


def test_an_emptied_chain_without_its_head_is_not_intact(
    app: Flask, runner: FlaskCliRunner
) -> None:
    assert create_staff(runner).exit_code == 0
    with database_alone(app) as run:
        run("DELETE FROM audit_event", {})
    head_file(app).unlink()
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert "no head record" in result.output


def test_a_deleted_head_with_rows_is_not_intact(app: Flask) -> None:
    write_events(app, 2)
    head_file(app).unlink()
    result = verify(app)
    assert result.exit_code == 1 and "no head record" in result.output


def test_a_fresh_empty_database_is_intact(app: Flask) -> None:
    assert not head_file(app).exists()
    result = verify(app)
    assert result.exit_code == 0 and "audit chain intact: 0 rows" in result.output


def test_each_record_counts_the_rows_and_moves_its_counter_on(app: Flask) -> None:
    write_events(app, 2)
    first = recorded_head(app)
    write_events(app, 3)
    second = recorded_head(app)
    assert first is not None and second is not None
    assert (first.count, second.count) == (2, 5)
    assert second.counter == first.counter + 3


def test_an_old_format_head_stays_until_it_is_adopted(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """After the upgrade, audited commits leave the old record alone and log what to do;
    `audit adopt-head` signs a record over the chain as it stands."""
    write_events(app, 2)
    last = rows(app)[-1]
    rewrite_head(app, {"id": last.id, "hash": last.hash})
    write_events(app, 1)
    assert json.loads(head_file(app).read_text()) == {"id": last.id, "hash": last.hash}
    assert "old, unauthenticated format" in caplog.text and "adopt-head" in caplog.text
    result = verify(app)
    assert result.exit_code == 1 and "`flask audit adopt-head --reason ...`" in result.output
    adopted = adopt(app, "--reason", "upgrade to signed heads")
    assert adopted.exit_code == 0, adopted.output
    assert f"row id {rows(app)[-2].id} (3 rows, record #1)" in adopted.output
    result = verify(app)
    assert result.exit_code == 0, result.output
    # The adoption's own row, and the record moved on over it.
    assert f"(row id {rows(app)[-1].id}, 4 rows, record #2)" in result.output
    assert audit_trail(app)[-1] == ("cli", "audit.head_adopted",
                                    f"old#{last.id}: upgrade to signed heads")


@pytest.mark.parametrize("attack", ["head deleted", "old format written"])
def test_a_cut_tail_is_not_laundered_by_the_next_audited_action(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, attack: str
) -> None:
    """The G5 replay: 5 rows, the tail cut to 3, the record deleted or rewritten in the old
    format, a staff login. Before, verify then said "intact: 4 rows ... record #1"."""
    assert create_staff(runner).exit_code == 0
    write_events(app, 4)
    cut_tail(app, keep=3)
    if attack == "head deleted":
        head_file(app).unlink()
    else:
        last = rows(app)[-1]
        rewrite_head(app, {"id": last.id, "hash": last.hash})
    assert login(client).status_code == 302
    assert audit_trail(app)[-1][1] == "login.success"
    result = verify(app)
    assert result.exit_code == 1, result.output
    assert "audit chain intact" not in result.output
    assert "adopt-head --reason" in result.output
    # Whoever checked the chain (and found no rows missing) adopts it on purpose.
    adopted = adopt(app, "--reason", "head file lost")
    assert adopted.exit_code == 0, adopted.output
    result = verify(app)
    assert result.exit_code == 0 and "audit chain intact: 5 rows" in result.output
    prior = "missing" if attack == "head deleted" else f"old#{rows(app)[2].id}"
    *_, (_, logged_in, _), adoption = audit_trail(app)
    assert logged_in == "login.success"
    assert adoption == ("cli", "audit.head_adopted", f"{prior}: head file lost")


def test_an_emptied_chain_is_not_begun_again_by_the_next_audited_action(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient
) -> None:
    """The G5 replay's other half: every row deleted and the record with them. The next
    audited action's rows follow the genesis hash like a new install's, but the accounts
    they would have recorded creating are there: no record is started, verify stays failed."""
    assert create_staff(runner).exit_code == 0
    write_events(app, 4)
    with database_alone(app) as run:
        run("DELETE FROM audit_event", {})
    head_file(app).unlink()
    assert login(client).status_code == 302
    assert not head_file(app).exists()
    result = verify(app)
    assert result.exit_code == 1 and "no head record" in result.output, result.output


def test_adopting_a_record_the_chain_no_longer_holds_moves_its_counter_on(
    app: Flask,
) -> None:
    write_events(app, 5)
    cut = recorded_head(app)
    assert cut is not None
    cut_tail(app, keep=3)
    assert "is missing" in verify(app).output
    adopted = adopt(app, "--reason", "database restored alone")
    assert adopted.exit_code == 0, adopted.output
    assert f"(3 rows, record #{cut.counter + 1})" in adopted.output
    assert audit_trail(app)[-1][2] == f"unheld#{cut.id}/5: database restored alone"
    assert verify(app).exit_code == 0


def test_adopt_head_refuses_a_broken_chain(app: Flask) -> None:
    write_events(app, 3)
    head_file(app).unlink()
    broken = rows(app)[1].id
    with database_alone(app) as run:
        run("UPDATE audit_event SET record = 'thing:9' WHERE id = :id", {"id": broken})
    result = adopt(app, "--reason", "restore")
    assert result.exit_code == 1
    assert f"broken at row id {broken}" in result.output
    assert "cannot mend a broken chain" in result.output
    assert not head_file(app).exists()
    assert [action for _, action, _ in audit_trail(app)] == ["test.event"] * 3


def test_adopt_head_asks_for_a_reason_and_something_to_adopt(app: Flask) -> None:
    write_events(app, 2)
    assert "nothing to adopt" in adopt(app, "--reason", "just because").output
    head_file(app).unlink()
    assert adopt(app).exit_code == 2  # --reason is required
    for reason in ["  ", "x" * 33, "two\nlines"]:
        result = adopt(app, "--reason", reason)
        assert result.exit_code == 1 and "reason" in result.output, result.output
    assert not head_file(app).exists()
    assert len(rows(app)) == 2


def test_an_adoption_that_cannot_be_audited_is_undone(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_events(app, 2)
    head_file(app).unlink()

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the database is gone")

    monkeypatch.setattr("clinic.audit.adopt.audit", refuse)
    assert adopt(app, "--reason", "restore").exit_code == 1
    assert not head_file(app).exists()


def test_a_fresh_install_starts_its_head_at_the_first_audited_action(
    app: Flask, runner: FlaskCliRunner
) -> None:
    assert not head_file(app).exists()
    assert create_staff(runner).exit_code == 0
    head = recorded_head(app)
    assert head is not None and (head.id, head.count, head.counter) == (rows(app)[0].id, 1, 1)
    assert verify(app).exit_code == 0


def test_a_head_written_before_a_key_rotation_verifies_with_the_fallback(
    make_app: Any,
) -> None:
    write_events(make_app(AUDIT_KEY=KEY_1), 2)
    rotated = make_app(AUDIT_KEY=KEY_2, AUDIT_KEY_FALLBACKS=[KEY_1])
    assert verify(rotated).exit_code == 0
    with pytest.raises(HeadError, match="HMAC does not verify"):
        recorded_head(make_app(AUDIT_KEY=KEY_2))
    # The next commit signs the record with the new key.
    write_events(rotated, 1)
    assert recorded_head(make_app(AUDIT_KEY=KEY_2)) is not None
