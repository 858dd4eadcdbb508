"""History rows said in words (tracker.history_text)."""

from __future__ import annotations

from tracker.history_text import describe_change, describe_creation


def test_an_officers_change_is_a_sentence_with_their_name_and_the_status_labels() -> None:
    assert (
        describe_change("status", "open", "in_progress", by="Demo Officer")
        == "Demo Officer changed the status from Open to In progress"
    )


def test_the_trackers_flags_say_why_with_the_date_as_people_write_it() -> None:
    assert (
        describe_change("stale", None, "2018-07-06", by=None)
        == "The tracker marked it stale: no update since the review date (6 Jul 2018)"
    )
    assert (
        describe_change("overdue", None, "2018-06-19", by=None)
        == "The tracker marked it overdue: past its due date (19 Jun 2018)"
    )


def test_owners_are_named_and_due_dates_moved_in_words() -> None:
    names = {"kono@example.org": "Taro Kono", "demo@example.org": "Demo Officer"}
    assert (
        describe_change("owner", "demo@example.org", "kono@example.org", by="Demo Officer", names=names)
        == "Demo Officer changed the owner from Demo Officer to Taro Kono"
    )
    assert describe_change("owner", None, "kono@example.org", by="A", names=names) == "A gave it to Taro Kono"
    assert (
        describe_change("due_date", "2018-06-19", "2018-06-26", by="A")
        == "A moved the due date from 19 Jun 2018 to 26 Jun 2018"
    )
    assert describe_change("due_date", None, "2018-06-19", by="A") == "A set the due date to 19 Jun 2018"


def test_the_first_entry_says_where_it_came_from() -> None:
    assert (
        describe_creation("Japan-U.S. Foreign Ministers' Meeting", "5", by="Demo Officer")
        == "Created from Japan-U.S. Foreign Ministers' Meeting (point 5) by Demo Officer"
    )


def test_the_first_entry_says_what_was_corrected_in_the_preview() -> None:
    corrections = (
        '{"parties": {"added": ["Republic of Korea"], "removed": []}, '
        '"deadline": {"was": {"type": "ongoing"}}}'
    )
    assert (
        describe_creation(
            "Japan-U.S. Foreign Ministers' Meeting", "5", by="Demo Officer", corrections=corrections
        )
        == "Created from Japan-U.S. Foreign Ministers' Meeting (point 5) by Demo Officer; "
        "corrected in the preview: parties (added Republic of Korea), deadline"
    )
    both = (
        '{"parties": {"added": ["Australia", "India", "Canada"], "removed": ["Japan"]}, '
        '"action": {"was": "x"}}'
    )
    assert (
        describe_creation("M", "1", by=None, corrections=both)
        == "Created from M (point 1); corrected in the preview: "
        "parties (added Australia, India and Canada, removed Japan), action"
    )
    assert describe_creation("M", "2", by="A", corrections='{"added": true}') == (
        "Created from M (point 2) by A; added in the preview"
    )
    # Elsewhere (the dashboard's news) the same row is a sentence of its own.
    assert (
        describe_change("preview_corrections", None, corrections, by="Demo Officer")
        == "Demo Officer corrected it in the preview: parties (added Republic of Korea), deadline"
    )
    assert (
        describe_change("preview_corrections", None, '{"added": true}', by="A") == "A added it in the preview"
    )
