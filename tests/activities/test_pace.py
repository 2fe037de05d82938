"""The campaign's pace: wider while new surveys get their first step in time, narrower when they wait."""

from __future__ import annotations

from activities.pace import Pace


def test_the_window_widens_while_surveys_get_their_first_step_in_time() -> None:
    pace = Pace(most=40, target=0.5)
    assert pace.room(set(), 0.0) == 4
    pace.started([1, 2, 3, 4], 0.0)
    assert pace.room({1, 2, 3, 4}, 0.1) == 0  # all four still wait, within the target
    assert pace.room(set(), 0.2) == 8  # four on time: one more each (before anything was late)
    pace.started(list(range(5, 13)), 0.2)
    assert pace.room(set(), 0.3) == 16


def test_the_window_narrows_by_a_fifth_when_a_survey_waits_past_the_target_at_most_once_per_target() -> None:
    pace = Pace(most=40, target=0.5)
    pace.started(list(range(10)), 0.0)
    pending = set(range(10))
    assert pace.room(pending, 0.6) == 0  # 4 * 0.8 = 3.2: three, and ten still wait
    assert int(pace.window) == 3
    pace.room(pending, 0.7)  # still late, but narrowed 0.1 s ago
    assert int(pace.window) == 3
    pace.room(pending, 1.2)
    assert int(pace.window) == 2
    pace.room(pending, 5.0)
    pace.room(pending, 6.0)
    assert pace.window == 2.0 and pace.waiting() == 10  # never below the least


def test_after_a_late_survey_the_window_widens_slowly_and_never_past_the_most() -> None:
    pace = Pace(most=5, target=0.5)
    pace.started([1], 0.0)
    pace.room(set(), 1.0)  # late: 3.2
    for n in range(2, 40):
        pace.started([n], float(n))
        pace.room(set(), n + 0.1)
    assert pace.window == 5.0
